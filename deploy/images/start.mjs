// The image's entry point: runs the deployable's main module (PAYMESH_ENTRY, set when the image
// was built), so every image starts the same way and SIGTERM reaches Node directly.
const { env } = process;
const entry = env.PAYMESH_ENTRY;
if (!entry) {
  console.error("start: PAYMESH_ENTRY is not set; build the image with deploy/images/build");
  process.exit(2);
}
await import(new URL(`../../${entry}`, import.meta.url).href);
