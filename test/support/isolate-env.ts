// Preloaded into every test process by `npm test` (node --import): tests that use the AWS SDK in
// process read process.env and the shared AWS config files, so the developer's AWS_* variables,
// AWS profile files and TIDEMARK_* settings must not reach them. TIDEMARK_TEST_* (knobs of the
// tests themselves, e.g. TIDEMARK_TEST_DATABASE_URL) stay. Processes the tests start get
// childEnv() (./child-env), which also moves HOME to a scratch folder.
import path from 'node:path';
import { isOutsideInfluence } from './child-env';

for (const name of Object.keys(process.env)) if (isOutsideInfluence(name) && !/^TIDEMARK_TEST_/.test(name)) delete process.env[name];
process.env.AWS_CONFIG_FILE = path.join('/nonexistent', 'tidemark-tests', 'aws-config');
process.env.AWS_SHARED_CREDENTIALS_FILE = path.join('/nonexistent', 'tidemark-tests', 'aws-credentials');
process.env.AWS_EC2_METADATA_DISABLED = 'true';
