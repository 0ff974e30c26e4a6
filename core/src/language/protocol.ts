/**
 * What Shoreline's language server and its clients say to each other beyond
 * LSP, in one place for both sides (as vscode-eslint's protocol module): the
 * initialization options and the custom requests and notifications.
 */

/** `initializationOptions` of `initialize` (besides the "shoreline" settings, which may also come this way). */
export interface ShorelineInitializationOptions {
  /** false: another Terraform language server (HashiCorp's) owns formatting, references, rename, symbols, folding, semantic tokens and links. */
  terraformFeatures?: boolean;
  /** The client has already told the user this window that live lookups are unavailable: do not say it again after a restart. */
  liveNoticeShown?: boolean;
}

export const ShorelineRequests = {
  /** Index and check every file of the workspace; answers `{ files }`. */
  validateWorkspace: 'shoreline/validateWorkspace',
  /** The workspace's counters (documents, parses, analyses). */
  stats: 'shoreline/stats',
  /** Fetch live facts again; answers the lookups' statuses. */
  refreshLiveData: 'shoreline/refreshLiveData',
} as const;

export const ShorelineNotifications = {
  /** Sent by the server when it has told the user that live lookups are unavailable. */
  liveNoticeShown: 'shoreline/liveNoticeShown',
  /** Sent by the server when what it knows changes (indexing done, live lookups refreshed): a `ShorelineServerStatus`. */
  status: 'shoreline/status',
} as const;

/** What the server reports of itself for the client's status item. */
export interface ShorelineServerStatus {
  /** Configuration files the server knows of (indexed and open). */
  files: number;
  /** Each live lookup source: `off` (no credentials or turned off), `ok`, or `failing` with why. */
  live: { name: string; state: 'off' | 'ok' | 'failing'; error?: string }[];
}
