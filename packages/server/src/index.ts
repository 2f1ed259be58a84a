export { ConfigError, type ConfigFlags, resolveConfig, type ServerConfig } from './server/config.js';
export { createServer, type FawkesServer, PortInUseError } from './server/create-server.js';
export { FAWKES_VERSION, PHOENIX_COMPATIBLE_VERSION } from './version.js';
