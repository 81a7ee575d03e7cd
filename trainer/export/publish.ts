/** Where a model package goes: an edge's upload URL, or a registry directory. */
export type PublishTarget = { url: string; token: string } | { registryDir: string };

/** Result of {@linkcode publishPackage}. */
export interface PublishResult {
  /** Published version. */
  version: string;
  /** Where it went. */
  target: string;
}

/**
 * Publishes a package directory (manifest.json + model files) to an edge: an HTTP upload
 * to its token-protected `POST /models`, or a copy into `<registry>/incoming/<version>/`
 * that the edge verifies and installs on its next check. The edge does every check;
 * this side only transports.
 *
 * @throws {Error} With the edge's reason when the upload is refused.
 */
export async function publishPackage(
  pkgDir: string,
  target: PublishTarget,
): Promise<PublishResult> {
  const manifestText = await Deno.readTextFile(`${pkgDir}/manifest.json`);
  const manifest = JSON.parse(manifestText) as {
    version: string;
    files: Record<string, { path: string }>;
  };
  const names = Object.values(manifest.files).map((f) => f.path);
  if ("registryDir" in target) {
    const dir = `${target.registryDir}/incoming`;
    const tmp = `${dir}/.${manifest.version}-${crypto.randomUUID()}`;
    await Deno.mkdir(tmp, { recursive: true });
    for (const n of [...names, "manifest.json"]) {
      await Deno.copyFile(`${pkgDir}/${n}`, `${tmp}/${n}`);
    }
    await Deno.rename(tmp, `${dir}/${manifest.version}`);
    return { version: manifest.version, target: `${dir}/${manifest.version}` };
  }
  const form = new FormData();
  form.set("manifest", manifestText);
  for (const n of names) form.set(n, new Blob([await Deno.readFile(`${pkgDir}/${n}`)]), n);
  const res = await fetch(new URL("/models", target.url), {
    method: "POST",
    headers: { authorization: `Bearer ${target.token}` },
    body: form,
    // A silent edge must not hang the trainer's publish step (a package is a few MB).
    signal: AbortSignal.timeout(120_000),
  });
  const body = await res.text();
  if (!res.ok) {
    throw new Error(`Edge refused model ${manifest.version} (HTTP ${res.status}): ${body}`);
  }
  return { version: manifest.version, target: String(new URL("/models", target.url)) };
}
