import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationTurn, type Fawkes, startFawkes } from '../../test-support/fixtures.js';
import { InvalidArgumentError, NotFoundError } from '../errors.js';

let fawkes: Fawkes;
beforeAll(async () => {
  fawkes = await startFawkes();
  await fawkes.exportSpans(conversationTurn({ projectName: 'from-otlp' }));
});
afterAll(() => fawkes.close());

describe('projects', () => {
  it('creates, gets by name and by id, updates and deletes a project', async () => {
    const { projects } = fawkes.client;
    const created = await projects.create({ name: 'crud', description: 'first' });
    expect(created).toMatchObject({ name: 'crud', description: 'first' });
    expect(await projects.get({ projectName: 'crud' })).toEqual(created);
    expect(await projects.get({ projectId: created.id })).toEqual(created);

    const updated = await projects.update({ projectId: created.id, description: 'second' });
    expect(updated).toEqual({ ...created, description: 'second' });

    await projects.delete({ projectName: 'crud' });
    await expect(projects.get({ projectId: created.id })).rejects.toThrow(NotFoundError);
  });

  it('lists every project, the one made by the OTLP exporter too, and stops at a limit', async () => {
    const { projects } = fawkes.client;
    await projects.create({ name: 'listed-1' });
    await projects.create({ name: 'listed-2' });
    const names = (await projects.list()).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['from-otlp', 'listed-1', 'listed-2']));
    expect(await projects.list({ limit: 2 })).toHaveLength(2);
  });

  it('follows cursors across pages', async () => {
    const { projects } = fawkes.client;
    for (let i = 0; i < 102; i++) await projects.create({ name: `many-${i}` });
    const all = await projects.list();
    expect(all.length).toBeGreaterThanOrEqual(102);
    expect(new Set(all.map((p) => p.id)).size).toBe(all.length);
    expect(await projects.list({ limit: 101 })).toHaveLength(101);
  });

  it('rejects bad arguments before sending anything', async () => {
    const { projects } = fawkes.client;
    await expect(projects.get({})).rejects.toThrow(new InvalidArgumentError('Give projectId or projectName'));
    await expect(projects.get({ projectId: 'x', projectName: 'y' } as never)).rejects.toThrow(
      'Give projectId or projectName, not both',
    );
    await expect(projects.create({ name: ' ' })).rejects.toThrow('name must be a non-empty string');
    await expect(projects.list({ limit: 0 })).rejects.toThrow('limit must be a positive whole number, got 0');
  });
});
