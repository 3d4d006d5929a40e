export * from './error-codes.js';
export * from './autovoice-error.js';
