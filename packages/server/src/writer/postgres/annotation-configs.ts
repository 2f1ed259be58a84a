import type pg from 'pg';
import { pgJson, pgText } from '../../store/postgres/pg-text.js';
import { toConfigRecord } from '../../store/repositories/annotation-configs.js';
import type { AnnotationConfigCommand, AnnotationConfigOutcome } from '../annotation-config-commands.js';

interface Row {
  id: number;
  name: string;
  config: unknown;
}

const ok = (rows: (Row | undefined)[]): AnnotationConfigOutcome => ({
  status: 'ok',
  configs: rows.filter((r): r is Row => r !== undefined).map(toConfigRecord),
});

/**
 * Annotation config writes on PostgreSQL, in the caller's transaction. Other servers may write at
 * the same time: a name taken concurrently (unique violation) or a row deleted under an assignment
 * (foreign key violation) aborts the transaction, which the caller retries, and the checks below
 * then see the other writer's outcome.
 */
export async function runAnnotationConfigCommand(
  client: pg.PoolClient,
  command: AnnotationConfigCommand,
): Promise<AnnotationConfigOutcome> {
  const configById = async (id: number) =>
    (await client.query<Row>('SELECT id, name, config FROM annotation_configs WHERE id = $1', [id])).rows[0];
  const projectExists = async (id: number) =>
    ((await client.query('SELECT 1 FROM projects WHERE id = $1', [id])).rowCount ?? 0) > 0;
  const assign = (projectId: number, configId: number) =>
    client.query(
      `INSERT INTO project_annotation_configs (project_id, annotation_config_id) VALUES ($1, $2)
       ON CONFLICT (project_id, annotation_config_id) DO NOTHING`,
      [projectId, configId],
    );
  const json = (config: unknown) => pgJson(JSON.stringify(config));

  switch (command.op) {
    case 'create': {
      const { rows } = await client.query<Row>(
        `INSERT INTO annotation_configs (name, config) VALUES ($1, $2::jsonb)
         ON CONFLICT (name) DO NOTHING RETURNING id, name, config`,
        [pgText(command.name), json(command.config)],
      );
      return rows[0] ? ok(rows) : { status: 'name-taken' };
    }
    case 'update': {
      if (!(await configById(command.id))) return { status: 'missing' };
      const taken = await client.query('SELECT 1 FROM annotation_configs WHERE name = $1 AND id <> $2', [
        pgText(command.name),
        command.id,
      ]);
      if ((taken.rowCount ?? 0) > 0) return { status: 'name-taken' };
      const { rows } = await client.query<Row>(
        'UPDATE annotation_configs SET name = $1, config = $2::jsonb WHERE id = $3 RETURNING id, name, config',
        [pgText(command.name), json(command.config), command.id],
      );
      return ok(rows);
    }
    case 'delete': {
      const { rows } = await client.query<Row>(
        'DELETE FROM annotation_configs WHERE id = $1 RETURNING id, name, config',
        [command.id],
      );
      return rows[0] ? ok(rows) : { status: 'missing' };
    }
    case 'assign': {
      const config = await configById(command.configId);
      if (!config || !(await projectExists(command.projectId))) return { status: 'missing' };
      await assign(command.projectId, command.configId);
      return ok([config]);
    }
    case 'unassign': {
      if (!(await configById(command.configId)) || !(await projectExists(command.projectId))) {
        return { status: 'missing' };
      }
      await client.query(
        'DELETE FROM project_annotation_configs WHERE project_id = $1 AND annotation_config_id = $2',
        [command.projectId, command.configId],
      );
      return { status: 'ok', configs: [] };
    }
    case 'set': {
      if (!(await projectExists(command.projectId))) return { status: 'missing' };
      const ids = [...new Set(command.configIds)];
      const { rows: configs } = await client.query<Row>(
        'SELECT id, name, config FROM annotation_configs WHERE id = ANY($1::bigint[]) ORDER BY id DESC',
        [ids],
      );
      if (configs.length !== ids.length) return { status: 'missing-configs' };
      await client.query(
        'DELETE FROM project_annotation_configs WHERE project_id = $1 AND NOT (annotation_config_id = ANY($2::bigint[]))',
        [command.projectId, ids],
      );
      for (const id of ids) await assign(command.projectId, id);
      return ok(configs);
    }
  }
}
