/** Config: the settings schema with documented defaults, loaded from file, environment and flags. */
export { loadConfig, defaultConfig, type VigilConfig, type LoadConfigOptions } from './config.js';
