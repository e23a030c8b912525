import 'reflect-metadata';
import { MetadataStorage } from '@mikro-orm/core';

// When jest runs a single suite in-band, global setup's MikroORM.init() left entity metadata
// in the global storage, cloned across jest's realm (its Maps fail `instanceof Map` here).
// Start every suite from the decorators of its own module registry (mikro-orm#3783).
MetadataStorage.clear();
