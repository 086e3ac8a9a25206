export { bootWaves, parseBootLimit, type BootLimit, type FleetHost } from './fleet-host.ts';
export { fleetPorts, releaseProof, type FleetOptions } from './fleet-ports.ts';
export { readFleetReleases, type FleetReleases, type HostRelease } from './fleet-releases.ts';
export type { WaveProof } from './fleet-target.ts';
