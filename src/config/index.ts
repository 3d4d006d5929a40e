export * from './app-config.js';
export * from './config.js';
export * from './config-fields.js';
export * from './mask-config.js';
