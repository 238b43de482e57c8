import { isIP } from "node:net";
import type { Env } from "../securityConfig.ts";

/** The datagram channel's settings (docs/configuration.md, "Datagrams"). */
export interface DatagramConfig {
  /**
   * The UDP ports this process may take, first to last: it takes the first
   * free one at start-up and every peer shares it. Undefined: the HTTP port's
   * number when that UDP port is free, else any free port.
   */
  ports?: { first: number; last: number };
  /** The address announced to clients in place of the interfaces' own (an IP literal): NAT, a cloud's public IP. */
  publicAddress?: string;
}

/**
 * Reads DATAGRAMS (`on`, the default, or `off`), UDP_PORT (a port, `first-last`,
 * or 0 for any free port) and UDP_PUBLIC_ADDRESS (an IPv4 or IPv6 address).
 * Undefined when datagrams are off; a bad value is pushed to `problems`.
 */
export function loadDatagramConfig(env: Env, problems: string[]): DatagramConfig | undefined {
  const switchValue = (env.DATAGRAMS ?? "").trim().toLowerCase();
  if (switchValue !== "" && switchValue !== "on" && switchValue !== "off") {
    problems.push(`DATAGRAMS=${JSON.stringify(env.DATAGRAMS)} is not on or off`);
  }
  const config: DatagramConfig = {};
  const ports = udpPorts(env.UDP_PORT, problems);
  if (ports) config.ports = ports;
  const address = env.UDP_PUBLIC_ADDRESS?.trim().replace(/^\[(.*)\]$/, "$1");
  if (address) {
    if (isIP(address) === 0) problems.push(`UDP_PUBLIC_ADDRESS=${JSON.stringify(env.UDP_PUBLIC_ADDRESS)} is not an IPv4 or IPv6 address (browsers take no host name in a candidate)`);
    else config.publicAddress = address;
  }
  return switchValue === "off" ? undefined : config;
}

function udpPorts(raw: string | undefined, problems: string[]): DatagramConfig["ports"] {
  const value = raw?.trim();
  if (!value) return undefined;
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(value);
  const first = match ? Number(match[1]) : NaN;
  const last = match?.[2] !== undefined ? Number(match[2]) : first;
  if (!match || first > 65535 || last > 65535 || last < first || (first === 0 && last !== 0)) {
    problems.push(`UDP_PORT=${JSON.stringify(raw)} is not a port (0 for any free one) or a range first-last of ports from 1 to 65535`);
    return undefined;
  }
  return { first, last };
}
