import { format } from "node:util";
import { LOG_LEVELS, type LogLevel } from "./config.ts";

export type LogFields = Record<string, unknown>;

/**
 * A structured logger: one JSON object per line on stderr (`time`, `level`,
 * `msg`, then fields). It also speaks the console-like interface Colyseus
 * expects, so the framework's own messages arrive in the same format.
 */
export interface Log {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** The adaptor handed to Colyseus (`debug/info/warn/error/trace` with console arguments). */
  readonly colyseus: Record<"debug" | "info" | "warn" | "error" | "trace", (...args: unknown[]) => void>;
}

/**
 * What ws raises when a client breaks the WebSocket protocol (a frame over the
 * size limit, a bad opcode, unmasked data, broken UTF-8). The socket is closed
 * with 1002/1007/1009 and the client loses its seat: the client's fault, not
 * the server's, so Colyseus' report of it is a warning, not an error.
 */
const CLIENT_PROTOCOL_FAULT = /^(?:Max payload size exceeded|Invalid WebSocket frame)/;

export function createLog(level: LogLevel, write: (line: string) => void = (line) => process.stderr.write(line)): Log {
  const threshold = LOG_LEVELS.indexOf(level);
  const emit = (at: Exclude<LogLevel, "silent">, msg: string, fields?: LogFields) => {
    if (LOG_LEVELS.indexOf(at) < threshold) return;
    const record: LogFields = { time: new Date().toISOString(), level: at, msg };
    if (fields) {
      for (const [key, value] of Object.entries(fields)) {
        record[key] = value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
      }
    }
    write(JSON.stringify(record) + "\n");
  };
  const fromConsole = (at: Exclude<LogLevel, "silent">) => (...args: unknown[]) => {
    const error = args.find((arg): arg is Error => arg instanceof Error);
    if (at === "error" && CLIENT_PROTOCOL_FAULT.test(String(error?.message ?? args[0]))) at = "warn";
    emit(at, format(...args.filter((arg) => arg !== error)).trim() || String(error?.message ?? ""), {
      source: "colyseus",
      ...(error ? { error } : {}),
    });
  };
  return {
    debug: (msg, fields) => emit("debug", msg, fields),
    info: (msg, fields) => emit("info", msg, fields),
    warn: (msg, fields) => emit("warn", msg, fields),
    error: (msg, fields) => emit("error", msg, fields),
    colyseus: {
      debug: fromConsole("debug"),
      trace: fromConsole("debug"),
      info: fromConsole("info"),
      warn: fromConsole("warn"),
      error: fromConsole("error"),
    },
  };
}
