// Renders resources/icon.png (512x512), the app mark: a 3x3 grid of sample tiles brightening
// diagonally, as a generator's samples sharpen. Run once: node build/make-icon.mjs
import sharp from 'sharp';

const size = 512;
const tile = 104;
const gap = 24;
const start = (size - 3 * tile - 2 * gap) / 2;
const tiles = [];
for (let row = 0; row < 3; row++) {
  for (let col = 0; col < 3; col++) {
    const opacity = (0.25 + (row + col) * 0.1875).toFixed(3);
    tiles.push(
      `<rect x="${start + col * (tile + gap)}" y="${start + row * (tile + gap)}" width="${tile}" height="${tile}" rx="22" fill="url(#tile)" opacity="${opacity}"/>`,
    );
  }
}
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#1e2838"/><stop offset="1" stop-color="#10151d"/></linearGradient>
    <linearGradient id="tile" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#9db8ff"/><stop offset="1" stop-color="#5b86f0"/></linearGradient>
  </defs>
  <rect width="${size}" height="${size}" rx="112" fill="url(#bg)"/>
  ${tiles.join('\n  ')}
</svg>`;

await sharp(Buffer.from(svg)).png().toFile(new URL('../resources/icon.png', import.meta.url).pathname);
console.log('wrote resources/icon.png');
