/**
 * Writes manifest/color.png (192×192) and manifest/outline.png (32×32) from the artwork in
 * tools/appPackage/iconArt.ts. Run with `npm run icons`; commit the PNGs.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { colorIconPng, outlineIconPng } from '../appPackage/iconArt';
import { checkIcon } from '../appPackage/iconChecks';
import { findProjectRoot } from '../appPackage/projectRoot';

function main(): void {
  const manifestDir = join(findProjectRoot(__dirname), 'manifest');
  const icons = [
    { role: 'color' as const, file: 'color.png', data: colorIconPng() },
    { role: 'outline' as const, file: 'outline.png', data: outlineIconPng() },
  ];
  for (const icon of icons) {
    const problems = checkIcon(icon.role, icon.file, icon.data);
    if (problems.length > 0) throw new Error(problems.join('\n'));
    writeFileSync(join(manifestDir, icon.file), icon.data);
    process.stdout.write(`wrote manifest/${icon.file} (${icon.data.length} bytes)\n`);
  }
}

main();
