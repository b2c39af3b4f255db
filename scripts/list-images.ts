// Prints the images scripts/build-images.sh builds, one `app port version young-generation-MiB` line
// each, from the app registry. Node runs it as it is (type stripping), so it works before anything is built.
import { IMAGES } from '../packages/contracts/src/apps.ts'

for (const { app, port, version, youngGenerationMiB } of IMAGES)
  console.log(`${app} ${port} ${version} ${youngGenerationMiB}`)
