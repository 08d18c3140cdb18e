import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { expectRejection } from '@/test/rejection';
import { HttpError } from './errors';
import { MAX_BODY_BYTES, assertSameOrigin, readEmptyJson, readJson } from './request';

const schema = z.object({ name: z.string({ error: 'name must be a string' }) });
const post = (body: BodyInit | null, headers: Record<string, string> = {}) =>
  new NextRequest('http://localhost:3000/api/x', { method: 'POST', body, headers });
const JSON_TYPE = { 'content-type': 'application/json' };

const httpError = (promise: Promise<unknown>) => expectRejection(promise, HttpError);

describe('readJson', () => {
  it('parses and validates a JSON body', async () => {
    expect(await readJson(post('{"name":"a"}', JSON_TYPE), schema)).toEqual({ name: 'a' });
    expect(await readJson(post('{"name":"a"}', { 'content-type': 'application/json; charset=utf-8' }), schema)).toEqual(
      { name: 'a' },
    );
  });

  it('refuses another content type with 415, before reading', async () => {
    expect(
      (await httpError(readJson(post('name=a', { 'content-type': 'application/x-www-form-urlencoded' }), schema))).code,
    ).toBe('unsupported_media_type');
    expect((await httpError(readJson(post('{"name":"a"}'), schema))).code).toBe('unsupported_media_type');
  });

  it('refuses a body over the limit with 413, declared or streamed', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES) });
    expect((await httpError(readJson(post(big, JSON_TYPE), schema))).code).toBe('payload_too_large');
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const streamed = new NextRequest('http://localhost:3000/api/x', {
      method: 'POST',
      body: stream,
      headers: JSON_TYPE,
      duplex: 'half',
    } as never);
    expect((await httpError(readJson(streamed, schema))).code).toBe('payload_too_large');
  });

  it('refuses malformed JSON, invalid UTF-8 and a schema failure with 400, naming the field', async () => {
    expect((await httpError(readJson(post('{"name":', JSON_TYPE), schema))).code).toBe('invalid_request');
    expect((await httpError(readJson(post(new Uint8Array([0x7b, 0xff, 0x7d]), JSON_TYPE), schema))).code).toBe(
      'invalid_request',
    );
    const wrongType = await httpError(readJson(post('{"name":1}', JSON_TYPE), schema));
    expect(wrongType.code).toBe('invalid_request');
    expect(wrongType.detail.field).toBe('name');
  });
});

describe('readEmptyJson', () => {
  it('takes no body, an empty one, or a small JSON one', async () => {
    await readEmptyJson(post(null));
    await readEmptyJson(post('', JSON_TYPE));
    await readEmptyJson(post('{}', JSON_TYPE));
  });

  it('refuses a form post (415) and malformed JSON (400)', async () => {
    expect((await httpError(readEmptyJson(post('a=1', { 'content-type': 'text/plain' })))).code).toBe(
      'unsupported_media_type',
    );
    expect((await httpError(readEmptyJson(post('{', JSON_TYPE)))).code).toBe('invalid_request');
  });
});

describe('assertSameOrigin', () => {
  const withHeaders = (headers: Record<string, string>) =>
    new NextRequest('http://localhost:3000/api/auth/refresh', {
      method: 'POST',
      headers: { host: 'localhost:3000', ...headers },
    });

  it('lets same-origin requests and header-less clients through', () => {
    assertSameOrigin(withHeaders({ origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin' }));
    assertSameOrigin(withHeaders({}));
  });

  it('refuses a foreign origin, another scheme and Sec-Fetch-Site: cross-site with 403', () => {
    const refused: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { origin: 'https://localhost:3000' },
      { 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of refused) {
      expect(() => assertSameOrigin(withHeaders(headers))).toThrow(HttpError);
    }
  });
});
