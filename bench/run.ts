// `npm run bench`: every benchmark, one after the other, each reporting against a baseline measured in the same run.
import { benchAdminApi, formatResults } from "./admin-api.ts";

const benches: ReadonlyArray<{ name: string; run: () => Promise<string> }> = [
  { name: "admin API", run: async () => formatResults(await benchAdminApi()) },
];

for (const bench of benches) {
  process.stdout.write(`== ${bench.name}\n${await bench.run()}\n`);
}
