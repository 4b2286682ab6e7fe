// SigV4 query signing checked against AWS's documented presigned-URL example (S3 GET of test.txt in
// examplebucket, 2013-05-24, us-east-1, 86400 s), then the path-style PUT shape the S3 driver uses.
import { describe, expect, it } from 'vitest';
import { amzDate, presignUrl, uriEncode } from './sigv4.js';

const AWS_EXAMPLE = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  region: 'us-east-1',
  date: new Date('2013-05-24T00:00:00Z'),
  expiresSeconds: 86400,
};

describe('presignUrl', () => {
  it("reproduces AWS's documented example signature", () => {
    const url = new URL(
      presignUrl({ ...AWS_EXAMPLE, method: 'GET', url: 'https://examplebucket.s3.amazonaws.com/test.txt' }),
    );
    expect(url.searchParams.get('X-Amz-Signature')).toBe(
      'aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
    );
    expect(url.searchParams.get('X-Amz-Credential')).toBe('AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
  });

  it('signs the method, path and content type: changing any changes the signature', () => {
    const base = { ...AWS_EXAMPLE, url: 'http://127.0.0.1:9000/bucket/favorites_raw/a b.json' };
    const put = presignUrl({ ...base, method: 'PUT', signedHeaders: { 'Content-Type': 'application/json' } });
    const get = presignUrl({ ...base, method: 'GET', signedHeaders: { 'Content-Type': 'application/json' } });
    const text = presignUrl({ ...base, method: 'PUT', signedHeaders: { 'Content-Type': 'text/plain' } });
    const signatureOf = (u: string) => new URL(u).searchParams.get('X-Amz-Signature');
    expect(new Set([signatureOf(put), signatureOf(get), signatureOf(text)]).size).toBe(3);
    expect(put.startsWith('http://127.0.0.1:9000/bucket/favorites_raw/a%20b.json?')).toBe(true);
    expect(new URL(put).searchParams.get('X-Amz-SignedHeaders')).toBe('content-type;host');
  });
});

describe('uriEncode', () => {
  it('keeps unreserved characters and encodes the rest in upper-case hex', () => {
    expect(uriEncode('a-b_c.d~e f/g+h=é')).toBe('a-b_c.d~e%20f%2Fg%2Bh%3D%C3%A9');
    expect(uriEncode('a/b', true)).toBe('a/b');
  });

  it('formats the signing time as AWS does', () => {
    expect(amzDate(new Date('2013-05-24T00:00:00.123Z'))).toBe('20130524T000000Z');
  });
});
