// Picks the storage driver the config names.
import type { StorageConfig } from '../config/config.js';
import type { Queryable } from '../db/database.js';
import { LocalObjectStorage } from './local-storage.js';
import type { ObjectStorage } from './object-storage.js';
import { S3ObjectStorage } from './s3-storage.js';
import { UploadGrantsRepository } from './upload-grants.repository.js';
import { deriveUploadSigningKey } from './upload-signature.js';

export function createObjectStorage(
  storage: StorageConfig,
  context: { db: Queryable; publicUrl: string; secretsKey: Buffer },
): ObjectStorage {
  if (storage.driver === 's3') {
    return new S3ObjectStorage({ ...storage, ttlSeconds: storage.uploadUrlTtlSeconds });
  }
  return new LocalObjectStorage({
    root: storage.root,
    publicUrl: context.publicUrl,
    signingKey: deriveUploadSigningKey(context.secretsKey),
    grants: new UploadGrantsRepository(context.db),
    ttlSeconds: storage.uploadUrlTtlSeconds,
  });
}
