/** The CLI's exit codes for a start that did not happen; docs/troubleshooting.md lists them for operators. */
export const EXIT_CODES = {
  /** a reason not to start that the operator fixes (permission, key, setting) without a more specific code */
  startup: 1,
  /** a configuration variable is missing or malformed */
  config: 2,
  /** another floodgate process holds the data dir */
  dataDirLocked: 3,
  /** the HTTP port (or the fake PSP's) is taken */
  portInUse: 4,
  /** the database did not answer within the startup retry */
  databaseUnreachable: 5,
  /** the data dir is a file, not writable, or holds a database that cannot be opened */
  dataDir: 6,
  /** a migration failed: the database is left at the last migration that succeeded */
  migration: 7,
} as const;
