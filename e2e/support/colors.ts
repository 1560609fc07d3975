import type { Locator } from "@playwright/test";

/**
 * A rendered colour as sRGB. Tailwind 4's palette computes to lab()/oklch(),
 * so the browser paints it on a canvas and reads the pixel back.
 */
export async function renderedRgb(locator: Locator, property: "color" | "background-color"): Promise<[number, number, number]> {
  return locator.evaluate((element, prop) => {
    const context = document.createElement("canvas").getContext("2d")!;
    context.fillStyle = getComputedStyle(element).getPropertyValue(prop);
    context.fillRect(0, 0, 1, 1);
    const [r, g, b] = context.getImageData(0, 0, 1, 1).data;
    return [r, g, b] as [number, number, number];
  }, property);
}
