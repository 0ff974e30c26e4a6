export { RegistryClient, compareVersions, type RegistryClientOptions } from './client.js';
