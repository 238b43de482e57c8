import type { Database } from "./database.ts";

/** One step of the schema: applied once, in order, recorded in `schema_migrations`. Never edit a shipped one: add the next. */
interface Migration {
  version: number;
  name: string;
  /** Statements in the shared dialect (see `Database.ddl`). */
  statements: string[];
}

const COUNTERS = `
  matches BIGINT NOT NULL DEFAULT 0,
  wins BIGINT NOT NULL DEFAULT 0,
  kills BIGINT NOT NULL DEFAULT 0,
  deaths BIGINT NOT NULL DEFAULT 0,
  score BIGINT NOT NULL DEFAULT 0,
  seconds_played BIGINT NOT NULL DEFAULT 0`;

const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: "profiles, matches, replays",
    statements: [
      // Totals live on the profile, updated in the match's transaction: the all-time boards read one indexed row per entry.
      `CREATE TABLE profiles (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        username TEXT,
        username_key TEXT UNIQUE,
        password_hash TEXT,
        created_at BIGINT NOT NULL,${COUNTERS}
      )`,
      "CREATE INDEX profiles_kills ON profiles (kills DESC)",
      "CREATE INDEX profiles_wins ON profiles (wins DESC)",
      // A profile secret is stored as its SHA-256: a leaked table does not let anyone in.
      `CREATE TABLE profile_keys (
        key_hash TEXT PRIMARY KEY,
        profile_id TEXT NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
        created_at BIGINT NOT NULL
      )`,
      "CREATE INDEX profile_keys_profile ON profile_keys (profile_id)",
      `CREATE TABLE matches (
        id TEXT PRIMARY KEY,
        room_id TEXT NOT NULL,
        match_number BIGINT NOT NULL,
        started_at BIGINT NOT NULL,
        ended_at BIGINT NOT NULL,
        players BIGINT NOT NULL
      )`,
      // ended_at is repeated here so that a week's board and a player's history read one table.
      `CREATE TABLE match_players (
        match_id TEXT NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
        slot BIGINT NOT NULL,
        profile_id TEXT REFERENCES profiles (id) ON DELETE SET NULL,
        name TEXT NOT NULL,
        bot BIGINT NOT NULL,
        kills BIGINT NOT NULL,
        deaths BIGINT NOT NULL,
        score BIGINT NOT NULL,
        placement BIGINT NOT NULL,
        seconds_played BIGINT NOT NULL,
        ended_at BIGINT NOT NULL,
        PRIMARY KEY (match_id, slot)
      )`,
      "CREATE INDEX match_players_profile ON match_players (profile_id, ended_at DESC)",
      "CREATE INDEX match_players_ended ON match_players (ended_at, profile_id, kills, deaths, placement)",
      `CREATE TABLE replays (
        match_id TEXT PRIMARY KEY REFERENCES matches (id) ON DELETE CASCADE,
        bytes {bytes} NOT NULL,
        raw_bytes BIGINT NOT NULL,
        created_at BIGINT NOT NULL
      )`,
      "CREATE INDEX replays_created ON replays (created_at)",
    ],
  },
  {
    version: 2,
    name: "weekly totals",
    statements: [
      // The week's boards read one row per player who played that week instead of summing every match line of it.
      `CREATE TABLE profile_weeks (
        week_start BIGINT NOT NULL,
        profile_id TEXT NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
        matches BIGINT NOT NULL,
        wins BIGINT NOT NULL,
        kills BIGINT NOT NULL,
        deaths BIGINT NOT NULL,
        PRIMARY KEY (week_start, profile_id)
      )`,
      "CREATE INDEX profile_weeks_profile ON profile_weeks (profile_id)",
      // Weeks start on Monday 00:00 UTC: the epoch was a Thursday, so Mondays fall 4 days after a multiple of 7.
      `INSERT INTO profile_weeks (week_start, profile_id, matches, wins, kills, deaths)
       SELECT ((ended_at - 345600000) / 604800000) * 604800000 + 345600000, profile_id, COUNT(*),
         SUM(CASE WHEN placement = 1 THEN 1 ELSE 0 END), SUM(kills), SUM(deaths)
       FROM match_players WHERE profile_id IS NOT NULL
       GROUP BY ((ended_at - 345600000) / 604800000) * 604800000 + 345600000, profile_id`,
    ],
  },
  {
    version: 3,
    name: "moderation",
    statements: [
      // A ban names a profile, an address or both; ends_at NULL is permanent; lifted_at is set when a moderator lifts it early.
      `CREATE TABLE bans (
        id TEXT PRIMARY KEY,
        profile_id TEXT,
        address TEXT,
        reason TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        ends_at BIGINT,
        lifted_at BIGINT
      )`,
      "CREATE INDEX bans_profile ON bans (profile_id)",
      "CREATE INDEX bans_address ON bans (address)",
      // Who did what to whom and why; never updated, never deleted with a profile (the log outlives what it names).
      `CREATE TABLE audit_log (
        id TEXT PRIMARY KEY,
        at BIGINT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target_profile TEXT,
        target_name TEXT,
        target_address TEXT,
        reason TEXT NOT NULL,
        details TEXT NOT NULL
      )`,
      "CREATE INDEX audit_log_at ON audit_log (at DESC)",
      // A chat mute follows its subject (a profile id, or a guest id without one) across reconnections, rooms and processes.
      `CREATE TABLE chat_mutes (
        subject TEXT PRIMARY KEY,
        until_at BIGINT NOT NULL,
        reason TEXT NOT NULL
      )`,
      // chat is the lines around the report as JSON ([{ from, text, at }]); match_id names the replay.
      `CREATE TABLE reports (
        id TEXT PRIMARY KEY,
        at BIGINT NOT NULL,
        reporter_profile TEXT,
        reporter_name TEXT NOT NULL,
        reported_profile TEXT,
        reported_name TEXT NOT NULL,
        room_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        match_id TEXT,
        reason TEXT NOT NULL,
        chat TEXT NOT NULL,
        resolved_at BIGINT
      )`,
      "CREATE INDEX reports_open ON reports (resolved_at, at)",
    ],
  },
  {
    version: 4,
    name: "reported addresses",
    statements: [
      // A report on a guest (no profile) can end in a ban by address, from the report alone.
      "ALTER TABLE reports ADD COLUMN reported_address TEXT",
    ],
  },
];

/** The newest schema version this build knows. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Brings the schema up to `SCHEMA_VERSION`, each pending migration in its own
 * transaction (all or nothing), holding a lock so that processes starting
 * together apply each step once. A database newer than this build is refused:
 * an old process must not write into a schema it does not know.
 * Resolves with the versions applied now. `target` stops at an older version (tests of a migration).
 */
export async function migrate(db: Database, target = SCHEMA_VERSION): Promise<number[]> {
  const applied: number[] = [];
  for (const migration of MIGRATIONS.filter(({ version }) => version <= target)) {
    const done = await db.transaction(async (tx) => {
      // Under the lock: two processes creating it at once would collide.
      await tx.run("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
      const newest = await tx.one<{ version: number | null }>("SELECT MAX(version) AS version FROM schema_migrations");
      const current = newest?.version ?? 0;
      if (current > SCHEMA_VERSION) {
        throw new Error(`The database's schema is version ${current}, newer than this server's ${SCHEMA_VERSION}: upgrade the server.`);
      }
      if (current >= migration.version) return false;
      for (const statement of migration.statements) await tx.run(db.ddl(statement));
      await tx.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", [migration.version, migration.name, Date.now()]);
      return true;
    }, true);
    if (done) applied.push(migration.version);
  }
  return applied;
}
