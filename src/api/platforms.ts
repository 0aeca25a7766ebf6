import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { capabilityList } from '../platforms/capabilities.js';
import { capabilitySchema } from '../platforms/capability.js';

/** The capability matrix: what each platform attests, how it arrives, and its limits. */
export const platformRoutes: FastifyPluginAsync = async (plugin) => {
  const app = plugin.withTypeProvider<ZodTypeProvider>();
  app.get('/v1/platforms', {
    config: { access: 'public' },
    schema: { tags: ['platforms'], summary: 'What each platform attests per action', response: { 200: z.object({ capabilities: z.array(capabilitySchema) }) } },
  }, async () => ({ capabilities: capabilityList() }));
};
