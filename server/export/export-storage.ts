// Where a large export's JSON is kept: object storage, written through the storage layer's signed upload
// URLs like any client would (so no storage credential is used here), in parts of at most PART_BYTES
// (the local driver takes at most 8 MB per upload), with a manifest written last: an export is ready
// exactly when its manifest exists. Keys live under the member's own folder, so one member's export id
// never reaches another member's object.
import { keySegmentFor, type ObjectStorage } from '../storage/object-storage.js';

/**
 * The storage layer signs uploads only under its allowed prefixes (server/storage/object-storage.ts,
 * today `favorites_raw/` only); exports sit in their own folder below it until a `member_exports/`
 * prefix is allowed there.
 */
export const EXPORT_KEY_PREFIX = 'favorites_raw/member_exports';

/** Below the local driver's 8 MB upload limit. */
export const PART_BYTES = 4 * 1024 * 1024;

const CONTENT_TYPE = 'application/json';

interface Manifest {
  exportId: string;
  parts: number;
  bytes: number;
  writtenAt: string;
}

export class ExportStorage {
  constructor(private readonly storage: ObjectStorage) {}

  private folder(memberId: string, exportId: string): string {
    return `${EXPORT_KEY_PREFIX}/${keySegmentFor(memberId)}/${exportId}`;
  }

  private async put(key: string, body: Buffer): Promise<void> {
    const upload = await this.storage.createUploadUrl(key, {
      contentType: CONTENT_TYPE,
      maxBytes: Math.max(1, body.length),
    });
    const response = await fetch(upload.url, { method: upload.method, headers: upload.headers, body });
    if (!response.ok) throw new Error(`export upload of ${key} answered HTTP ${response.status}`);
  }

  /** Writes the export's JSON text in parts, then the manifest that marks it ready. */
  async write(memberId: string, exportId: string, json: string): Promise<{ bytes: number; parts: number }> {
    const bytes = Buffer.from(json, 'utf8');
    const folder = this.folder(memberId, exportId);
    let parts = 0;
    for (let offset = 0; offset < bytes.length || parts === 0; offset += PART_BYTES) {
      await this.put(
        `${folder}/part-${String(parts).padStart(5, '0')}.json`,
        bytes.subarray(offset, offset + PART_BYTES),
      );
      parts++;
    }
    const manifest: Manifest = { exportId, parts, bytes: bytes.length, writtenAt: new Date().toISOString() };
    await this.put(`${folder}/manifest.json`, Buffer.from(JSON.stringify(manifest), 'utf8'));
    return { bytes: bytes.length, parts };
  }

  /** The export's JSON text, or null when it is not (yet) written. */
  async read(memberId: string, exportId: string): Promise<string | null> {
    const folder = this.folder(memberId, exportId);
    const manifestBytes = await this.storage.getObject(`${folder}/manifest.json`);
    if (!manifestBytes) return null;
    const manifest = JSON.parse(manifestBytes.toString('utf8')) as Manifest;
    const chunks: Buffer[] = [];
    for (let part = 0; part < manifest.parts; part++) {
      const chunk = await this.storage.getObject(`${folder}/part-${String(part).padStart(5, '0')}.json`);
      if (!chunk) throw new Error(`export ${exportId}: part ${part} is missing from storage`);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
}
