// Small HTTP helpers for the mirror tests.

/** GET with the whole body read. */
export async function get(url, headers = {}) {
  const response = await fetch(url, { headers });
  const body = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, body, json: () => JSON.parse(body.toString()) };
}

/** Artifacts are committed just after the client has every byte: poll until the cache answers. */
export async function getUntilHit(url) {
  let answer;
  for (let attempt = 0; attempt < 50; attempt++) {
    answer = await get(url);
    if (answer.headers.get('x-cache-status') === 'HIT') break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return answer;
}
