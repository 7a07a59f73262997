import { mergeConfig } from 'vite'
import base from './vite.config'
export default mergeConfig(base, { resolve: { alias: { '@tessera/forms': '/tmp/web-stub/forms.ts' } }, build: { outDir: '/tmp/web-stub/dist' } })
