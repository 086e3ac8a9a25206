import { describe, expect, it } from 'vitest';
import { fleetInventory } from './fleet-inventory.ts';
import type { ContainerInventory, ContainerSnapshot } from './infrastructure-status.ts';

const container = (name: string, state = 'running'): ContainerSnapshot =>
  ({ name, id: name, image: 'shop:1', state, health: 'none', restarts: 0 }) as ContainerSnapshot;
const host = (containers: ContainerSnapshot[]): ContainerInventory & { asked: unknown[] } => {
  const asked: unknown[] = [];
  return { asked, describe: () => 'engine', managedContainers: async (selector) => (asked.push(selector), containers) };
};

describe('fleetInventory', () => {
  it("lists every host's containers, each named by its host, with the selector passed to every host", async () => {
    const web1 = host([container('sidhe-shop.production-blue')]);
    const web2 = host([container('sidhe-shop.production-blue', 'exited')]);
    const fleet = fleetInventory([
      { name: 'web1', inventory: web1 },
      { name: 'web2', inventory: web2 },
    ]);
    const listed = await fleet.managedContainers({ app: 'shop' });
    expect(listed.map((c) => [c.name, c.state])).toEqual([
      ['web1/sidhe-shop.production-blue', 'running'],
      ['web2/sidhe-shop.production-blue', 'exited'],
    ]);
    expect([web1.asked, web2.asked]).toEqual([[{ app: 'shop' }], [{ app: 'shop' }]]);
    expect(fleet.describe()).toBe('Docker engines on web1, web2');
  });
});
