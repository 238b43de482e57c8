import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Database } from "./database.ts";

/** A profile's lifetime totals over its ranked matches. */
export interface ProfileTotals {
  matches: number;
  wins: number;
  kills: number;
  deaths: number;
  score: number;
  /** Seconds spent in ranked matches. */
  secondsPlayed: number;
}

/** A player who comes back: what `GET /api/players/:id` shows. */
export interface Profile {
  id: string;
  /** The name last played under. */
  name: string;
  /** Set once the profile is claimed; unique, case-insensitively. */
  username: string | null;
  /** ms since the epoch. */
  createdAt: number;
  totals: ProfileTotals;
}

interface ProfileRow {
  id: string;
  name: string;
  username: string | null;
  created_at: number;
  matches: number;
  wins: number;
  kills: number;
  deaths: number;
  score: number;
  seconds_played: number;
}

const COLUMNS = ["id", "name", "username", "created_at", "matches", "wins", "kills", "deaths", "score", "seconds_played"];
const PROFILE_COLUMNS = COLUMNS.join(", ");
/** The same, read through the alias `p` (joined queries). */
const PROFILE_COLUMNS_OF_P = COLUMNS.map((column) => `p.${column}`).join(", ");

/** A fresh profile secret: 256 random bits, the long-lived key a browser keeps. */
function newSecret(): string {
  return randomBytes(32).toString("base64url");
}

/** Only this is stored: a secret has full entropy, so a plain hash is enough to make a leaked table useless. */
function secretHash(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** Usernames are unique regardless of case. */
export function usernameKey(username: string): string {
  return username.toLowerCase();
}

/** Profiles, their secrets (one per device) and their credentials. */
export class ProfileStore {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  /** A new unclaimed profile and the secret that opens it (shown once, stored hashed). */
  async create(name: string, now = Date.now()): Promise<{ profile: Profile; secret: string }> {
    const id = randomUUID();
    const secret = newSecret();
    await this.db.transaction(async (tx) => {
      await tx.run("INSERT INTO profiles (id, name, created_at) VALUES (?, ?, ?)", [id, name, now]);
      await tx.run("INSERT INTO profile_keys (key_hash, profile_id, created_at) VALUES (?, ?, ?)", [secretHash(secret), id, now]);
    });
    const profile = await this.byId(id);
    return { profile: profile!, secret };
  }

  /** The profile a secret opens, if any. */
  async bySecret(secret: string): Promise<Profile | undefined> {
    const row = await this.db.one<ProfileRow>(
      `SELECT ${PROFILE_COLUMNS_OF_P} FROM profile_keys k JOIN profiles p ON p.id = k.profile_id WHERE k.key_hash = ?`,
      [secretHash(secret)],
    );
    return row && toProfile(row);
  }

  async byId(id: string): Promise<Profile | undefined> {
    const row = await this.db.one<ProfileRow>(`SELECT ${PROFILE_COLUMNS} FROM profiles WHERE id = ?`, [id]);
    return row && toProfile(row);
  }

  /** Which profile holds `username`, and its password hash. */
  async credentials(username: string): Promise<{ id: string; passwordHash: string } | undefined> {
    const row = await this.db.one<{ id: string; password_hash: string | null }>(
      "SELECT id, password_hash FROM profiles WHERE username_key = ?", [usernameKey(username)],
    );
    return row?.password_hash ? { id: row.id, passwordHash: row.password_hash } : undefined;
  }

  /**
   * Gives an unclaimed profile a username and password hash. "taken": another
   * profile has that username; "claimed": this one already has one.
   */
  async claim(id: string, username: string, passwordHash: string): Promise<"ok" | "taken" | "claimed" | "gone"> {
    return this.db.transaction(async (tx) => {
      const row = await tx.one<{ username: string | null }>("SELECT username FROM profiles WHERE id = ?", [id]);
      if (!row) return "gone";
      if (row.username !== null) return "claimed";
      const holder = await tx.one("SELECT id FROM profiles WHERE username_key = ?", [usernameKey(username)]);
      if (holder) return "taken";
      await tx.run("UPDATE profiles SET username = ?, username_key = ?, password_hash = ? WHERE id = ?", [username, usernameKey(username), passwordHash, id]);
      return "ok";
    });
  }

  /** A new secret for another device of the same profile (after a login). */
  async addSecret(id: string, now = Date.now()): Promise<string> {
    const secret = newSecret();
    await this.db.run("INSERT INTO profile_keys (key_hash, profile_id, created_at) VALUES (?, ?, ?)", [secretHash(secret), id, now]);
    return secret;
  }

  /**
   * Removes the profile with its secrets and credentials; its rows in past
   * matches stay (the other players' history) but lose its id and name.
   * Resolves false when there was no such profile.
   */
  async delete(id: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await tx.run("UPDATE match_players SET name = '', profile_id = NULL WHERE profile_id = ?", [id]);
      await tx.run("DELETE FROM profile_keys WHERE profile_id = ?", [id]);
      return (await tx.run("DELETE FROM profiles WHERE id = ?", [id])) > 0;
    });
  }
}

function toProfile(row: ProfileRow): Profile {
  return {
    id: row.id,
    name: row.name,
    username: row.username,
    createdAt: row.created_at,
    totals: {
      matches: row.matches, wins: row.wins, kills: row.kills, deaths: row.deaths, score: row.score, secondsPlayed: row.seconds_played,
    },
  };
}
