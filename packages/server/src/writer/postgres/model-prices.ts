import type pg from 'pg';
import { type ModelPriceRecord, toModelPriceRecord } from '../../store/repositories/model-prices.js';
import {
  MODEL_PRICE_COLUMNS,
  type ModelPriceCommand,
  type ModelPriceOutcome,
  modelPriceValues,
} from '../model-price-commands.js';

/** Model price writes on PostgreSQL, in the caller's transaction. */
export async function runModelPriceCommand(
  client: pg.PoolClient,
  command: ModelPriceCommand,
): Promise<ModelPriceOutcome> {
  // Locks the project row, so a project deleted meanwhile cannot leave an orphan price.
  const project = await client.query('SELECT id FROM projects WHERE id = $1 FOR UPDATE', [command.projectId]);
  if (project.rowCount === 0) return { status: 'missing' };
  const { rows } =
    command.op === 'create'
      ? await client.query<ModelPriceRecord>(
          `INSERT INTO model_prices (project_id, model_name_pattern, provider, prompt_cost_per_token,
             completion_cost_per_token, cache_read_cost_per_token, cache_write_cost_per_token,
             reasoning_cost_per_token, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${MODEL_PRICE_COLUMNS}`,
          [...modelPriceValues(command)],
        )
      : await client.query<ModelPriceRecord>(
          `DELETE FROM model_prices WHERE id = $1 AND project_id = $2 RETURNING ${MODEL_PRICE_COLUMNS}`,
          [command.id, command.projectId],
        );
  return rows[0] ? { status: 'ok', price: toModelPriceRecord(rows[0]) } : { status: 'missing' };
}
