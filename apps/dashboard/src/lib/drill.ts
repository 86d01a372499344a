/** A chart click that drills down to the unit of the item clicked (same page unless `path` is given). */
import { goto } from '$app/navigation';
import { page } from '$app/state';
import { drillHref } from './links';

export function drillOnClick(path?: string): (item: { data: unknown }) => void {
  return (item) => {
    const href = drillHref(page.url, item, path);
    if (href) void goto(href);
  };
}
