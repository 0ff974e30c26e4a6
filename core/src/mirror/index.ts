/** The Terraform registry caching mirror: start it from code with `startMirror`. */
export { startMirror, type MirrorOptions, type RunningMirror } from './server.js';
export { FileStorage, type MirrorStorage, type ObjectMeta, type StoredEntry, type StoredObject } from './storage.js';
export { CacheSpace, purgeMatcher } from './space.js';
export { S3Storage, type S3StorageOptions } from './s3.js';
export { DEFAULT_ARTIFACT_HOSTS, DEFAULT_UPSTREAMS, parseUpstream, type Upstream } from './upstream.js';
export { localCertificate, type LocalCertificate } from './tls.js';
export { terraformCliConfig } from './cli-config.js';
export { packageHashV1, parseShasums, verifyShasumsSignature, VerificationError } from './verify.js';
export { BadRequestError } from './names.js';
export { currentPlatform, exportCache, importCache, parseLockFile, parseProviderSpec, warmCache, type ProviderRequirement, type WarmResult } from './transfer.js';
