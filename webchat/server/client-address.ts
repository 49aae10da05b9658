// Which address a request comes from, for the per-address limits: the socket's, or, when the socket is a proxy
// the operator named, the address that proxy saw (the right-most X-Forwarded-For entry no trusted proxy added).
import { BlockList, isIP } from "node:net";

/** The proxies whose X-Forwarded-For is believed: addresses ("172.18.0.2", "::1") or ranges ("10.0.0.0/8"). */
export function trustedProxies(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split("/");
    const type = isIP(address ?? "") === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(address!, type);
    else list.addSubnet(address!, Number(bits), type);
  }
  return list;
}

const unmapped = (address: string): string => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");

const isTrusted = (proxies: BlockList, address: string): boolean => {
  const version = isIP(address);
  return version !== 0 && proxies.check(address, version === 6 ? "ipv6" : "ipv4");
};

export function clientAddressOf(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  proxies: BlockList,
): string {
  let address = socketAddress === undefined ? "unknown" : unmapped(socketAddress);
  if (!isTrusted(proxies, address)) return address;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? ""))
    .split(",")
    .map((hop) => unmapped(hop.trim()))
    .filter((hop) => hop.length > 0);
  // From the right: each trusted proxy vouches for the hop before it; the first untrusted hop is the client.
  for (const hop of hops.reverse()) {
    if (isIP(hop) === 0) return address;
    address = hop;
    if (!isTrusted(proxies, hop)) return hop;
  }
  return address;
}
