import { openStore } from '@chaintrail/store';
import { useApiContext } from './api-context.js';
import { describeApiRoutes } from './api-routes.js';
import { describeHostileInputs } from './hostile-inputs.js';
import { describeTagFileImport } from './tag-file-import.js';

const context = useApiContext(() => openStore('sqlite::memory:'));
describeApiRoutes('SQLite', context);
describeHostileInputs('SQLite', context);
describeTagFileImport('SQLite', context);
