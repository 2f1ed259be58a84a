/** `npm run generate:client`: writes packages/client/src/generated/openapi.ts from the server's document. */
import { writeGeneratedTypes } from '../codegen/openapi-types.js';

const file = await writeGeneratedTypes();
console.log(`wrote ${file}`);
