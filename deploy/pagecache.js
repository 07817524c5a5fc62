// The page cache's generation, part of nginx's cache key (deploy/nginx.conf). Django writes
// it when the content changes (pagecache/proxy.py), so the next request misses the pages kept
// before the change. Read on every cacheable request: one small file, in the page cache.
import fs from 'fs';

function generation(r) {
    try {
        return fs.readFileSync(r.variables.page_generation_file, 'utf8').trim();
    } catch (e) {
        // Django has not written one yet: nothing is kept until it has.
        return 'none';
    }
}

export default { generation };
