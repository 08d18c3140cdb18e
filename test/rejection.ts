import { expect } from 'vitest';

/**
 * Awaits a promise that must reject with an instance of `type` (fails the test when it fulfils or rejects with anything
 * else); returns the error.
 */
export async function expectRejection<E>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
): Promise<E> {
  const error = await promise.then(
    () => new Error(`expected a rejection with ${type.name}, but it succeeded`),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(type);
  return error as E;
}
