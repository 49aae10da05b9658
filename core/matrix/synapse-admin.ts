// The hub Synapse's admin API, as far as retention needs it: purge a room's history, delete a room, poll both
// jobs, and delete a media file. Needs a server admin's access token.

export type AdminJobStatus = "running" | "complete" | "failed" | "unknown";

/** A job's status, and for a failed one Synapse's reason (e.g. "Users are still joined to this room"). */
export interface AdminJobState {
  status: AdminJobStatus;
  error?: string;
}
/** `gone`: deleted now, or the hub no longer had it. `not-local`: another server's, which only it can delete. */
export type MediaDeletion = "gone" | "not-local";

/**
 * Where a purge stops: before an event (in the room's order, the event itself kept), or before a time. Synapse
 * turns a time into the newest event it received before it, by the order it stored events in, and events it
 * fetched late from another server (backfill after an outage) are stored as older than everything: in such a room
 * a purge by time stops at the newest backfilled event, whatever its age (decision 0020). An event ID does not.
 */
export type PurgePoint = { readonly eventId: string } | { readonly ts: number };

export interface SynapseAdmin {
  /** Starts purging the room's events before `upTo` (local events too); undefined when nothing is before it. */
  purgeHistory(roomId: string, upTo: PurgePoint): Promise<string | undefined>;
  purgeStatus(purgeId: string): Promise<AdminJobState>;
  /**
   * Starts deleting the room on the hub: every local member removed, every event purged. `forcePurge` purges even
   * when a local member is still joined (one who joined while the room was being shut down).
   */
  deleteRoom(roomId: string, options?: { forcePurge?: boolean }): Promise<string>;
  deleteStatus(deleteId: string): Promise<AdminJobState>;
  /** Deletes a media file from the hub's media repository (the file and its thumbnails). */
  deleteMedia(serverName: string, mediaId: string): Promise<MediaDeletion>;
}

export class SynapseAdminError extends Error {
  readonly status: number;
  readonly errcode: string | undefined;
  constructor(path: string, status: number, errcode: string | undefined) {
    super(`Synapse admin ${path}: HTTP ${status}${errcode ? ` ${errcode}` : ""}`);
    this.name = "SynapseAdminError";
    this.status = status;
    this.errcode = errcode;
  }
}

function jobStatus(status: unknown): AdminJobStatus {
  if (status === "complete") return "complete";
  if (status === "failed") return "failed";
  return "running";
}

export function synapseAdmin(options: {
  clientUrl: string;
  accessToken: string;
  fetchFn?: typeof fetch;
}): SynapseAdmin {
  const fetchFn = options.fetchFn ?? fetch;
  const call = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const response = await fetchFn(`${options.clientUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${options.accessToken}`, "content-type": "application/json" },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) {
      // The path names a room or job ID, never content.
      throw new SynapseAdminError(
        path,
        response.status,
        typeof json["errcode"] === "string" ? json["errcode"] : undefined,
      );
    }
    return json;
  };
  const room = (roomId: string): string => encodeURIComponent(roomId);
  const status = async (path: string): Promise<AdminJobState> => {
    try {
      const answer = await call("GET", path);
      const state: AdminJobState = { status: jobStatus(answer["status"]) };
      if (typeof answer["error"] === "string") state.error = answer["error"];
      return state;
    } catch (error) {
      // Synapse forgets finished jobs after a while, and all of them when it restarts.
      if (error instanceof SynapseAdminError && error.status === 404) return { status: "unknown" };
      throw error;
    }
  };
  return {
    async purgeHistory(roomId, upTo) {
      try {
        const answer = await call("POST", `/_synapse/admin/v1/purge_history/${room(roomId)}`, {
          delete_local_events: true,
          ...("eventId" in upTo ? { purge_up_to_event_id: upTo.eventId } : { purge_up_to_ts: Math.floor(upTo.ts) }),
        });
        return String(answer["purge_id"]);
      } catch (error) {
        if (error instanceof SynapseAdminError && error.status === 404) return undefined;
        throw error;
      }
    },
    purgeStatus: (purgeId) => status(`/_synapse/admin/v1/purge_history_status/${encodeURIComponent(purgeId)}`),
    async deleteRoom(roomId, options) {
      const answer = await call("DELETE", `/_synapse/admin/v2/rooms/${room(roomId)}`, {
        purge: true,
        block: false,
        ...(options?.forcePurge === true && { force_purge: true }),
      });
      return String(answer["delete_id"]);
    },
    deleteStatus: (deleteId) => status(`/_synapse/admin/v2/rooms/delete_status/${encodeURIComponent(deleteId)}`),
    async deleteMedia(serverName, mediaId) {
      try {
        await call(
          "DELETE",
          `/_synapse/admin/v1/media/${encodeURIComponent(serverName)}/${encodeURIComponent(mediaId)}`,
        );
        return "gone";
      } catch (error) {
        if (error instanceof SynapseAdminError && error.status === 404) return "gone";
        if (error instanceof SynapseAdminError && error.status === 400) return "not-local";
        throw error;
      }
    },
  };
}
