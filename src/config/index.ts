/** Config: the settings schema with documented defaults, loaded from file, environment and flags. */
export { loadConfig, defaultConfig, type VigilConfig, type LoadConfigOptions, type SourceLateness } from './config.js';
export { parseTokenList, mergeEnvTokens, tokenRoles, type TokenConfig } from './tokens.js';
export { serverSecurity, type ServerSecurityConfig } from './security.js';
export { parseInhibitions, defaultCorrelationConfig, type CorrelationConfig } from './correlation.js';
