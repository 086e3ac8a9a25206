/**
 * A service on several hosts, each with its own engine, router and probes (Kamal's shape): the door
 * builds one FleetHost per host, hands fleetPorts(...) to any strategy unchanged, and after a deploy
 * or rollback shows readFleetReleases(...) per host and fails the run when the fleet is split.
 */
export { bootWaves, parseBootLimit, type BootLimit, type FleetHost } from './fleet-host.ts';
export { fleetPorts, releaseProof, type FleetOptions } from './fleet-ports.ts';
export { readFleetReleases, type FleetReleases, type HostRelease } from './fleet-releases.ts';
export type { WaveProof } from './fleet-target.ts';
