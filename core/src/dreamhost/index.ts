export { DreamhostApi, DreamhostApiError, type DreamhostRecord, type DreamhostErrorKind, type DreamhostApiOptions, type RecordInput } from './api.js';
