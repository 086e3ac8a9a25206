import type { ContainerInventory, ContainerSnapshot } from './infrastructure-status.ts';

/**
 * The containers of several hosts as one inventory: each named `<host>/<container>`, since every host
 * runs its own `sidhe-<app>.<environment>-<colour>`, so status, its alerts and its summary say where.
 */
export function fleetInventory(hosts: readonly { name: string; inventory: ContainerInventory }[]): ContainerInventory {
  return {
    describe: () => `Docker engines on ${hosts.map((host) => host.name).join(', ')}`,
    async managedContainers(selector) {
      const lists = await Promise.all(
        hosts.map(async ({ name, inventory }) =>
          (await inventory.managedContainers(selector)).map((c): ContainerSnapshot => ({ ...c, name: `${name}/${c.name}` })),
        ),
      );
      return lists.flat();
    },
  };
}
