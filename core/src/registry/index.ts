export { RegistryClient, type RegistryClientOptions } from './client.js';
