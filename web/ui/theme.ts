// Light and dark themes follow the system unless overridden. Owns the theme
// toggle button; sets data-theme on <html> (styles.css reads it).
import type { Theme } from '../state';

export interface ThemeToggle {
  render(theme: Theme): void;
}

const LABEL: Record<Theme, string> = { system: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' };

export function setupTheme(button: HTMLButtonElement, onToggle: () => void): ThemeToggle {
  button.type = 'button';
  button.addEventListener('click', onToggle);
  return {
    render(theme) {
      button.textContent = LABEL[theme];
      button.setAttribute('aria-label', `${LABEL[theme]} (click to change)`);
      const root = document.documentElement;
      if (theme === 'system') delete root.dataset['theme'];
      else root.dataset['theme'] = theme;
    },
  };
}
