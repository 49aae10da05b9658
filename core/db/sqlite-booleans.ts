// SQLite has no boolean type and better-sqlite3 refuses to bind JavaScript booleans.
// This plugin writes booleans as 1/0 and reads the named boolean columns back as booleans,
// so that repositories see the same `boolean` on SQLite as on PostgreSQL.
// Raw `sql` fragments are not rewritten: pass 1/0 there (better-sqlite3 throws on a boolean, loudly).
import {
  OperationNodeTransformer,
  PrimitiveValueListNode,
  ValueNode,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from "kysely";

function toSqlite(value: unknown): unknown {
  return typeof value === "boolean" ? Number(value) : value;
}

class BooleanParameterTransformer extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    if (typeof node.value !== "boolean") return node;
    return node.immediate ? ValueNode.createImmediate(toSqlite(node.value)) : ValueNode.create(toSqlite(node.value));
  }

  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    return node.values.some((value) => typeof value === "boolean")
      ? PrimitiveValueListNode.create(node.values.map(toSqlite))
      : node;
  }
}

export class SqliteBooleanPlugin implements KyselyPlugin {
  readonly #transformer = new BooleanParameterTransformer();
  readonly #columns: ReadonlySet<string>;

  constructor(booleanColumns: ReadonlySet<string>) {
    this.#columns = booleanColumns;
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node, args.queryId);
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const { result } = args;
    return Promise.resolve({ ...result, rows: result.rows.map((row) => this.#mapRow(row)) });
  }

  #mapRow(row: UnknownRow): UnknownRow {
    let mapped: Record<string, unknown> | undefined;
    for (const column of this.#columns) {
      const value = row[column];
      if (value === 0 || value === 1) {
        mapped ??= { ...row };
        mapped[column] = value === 1;
      }
    }
    return mapped ?? row;
  }
}
