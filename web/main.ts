// Composition root of the minimal page: runs the article's programs through
// the engine worker and shows each verdict as text. (A UI engineer replaces
// this page; web/core stays.) Untrusted strings only ever go to textContent.
import { createEngineClient, isTensorVariable, type RunResult, type Variable } from './core';
import { ARTICLE_SCENARIOS, type Scenario } from './core/article-programs';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function describeVariable(v: Variable): string {
  if (isTensorVariable(v)) return `shape (${v.shape.join(', ')}) ${v.dtype}`;
  if (typeof v.repr === 'string') return v.repr;
  return `${v.kind} ${JSON.stringify(v.value)}`;
}

function renderResult(target: HTMLElement, result: RunResult): void {
  target.replaceChildren();
  const verdict = el('p', 'verdict', result.ok ? 'Runs: ok' : `Raises ${result.error?.type ?? 'an error'}`);
  verdict.dataset.ok = String(result.ok);
  target.append(verdict);
  if (result.error) {
    const where = result.error.line > 0 ? ` (line ${result.error.line})` : '';
    // plain_message: str(e) without the ANSI bold Keras 3 puts in layer errors.
    const message = result.error.plain_message ?? result.error.message;
    target.append(el('pre', 'error-message', `${result.error.type}${where}: ${message}`));
  }
  const names = Object.keys(result.variables);
  if (names.length > 0) {
    const list = el('ul', 'variables');
    for (const name of names) {
      const variable = result.variables[name];
      if (variable) list.append(el('li', undefined, `${name}: ${describeVariable(variable)}`));
    }
    target.append(list);
  }
  if (result.stdout) target.append(el('pre', 'stdout', result.stdout));
}

function setupScenario(container: HTMLElement, scenario: Scenario): HTMLElement {
  const section = el('section', 'scenario');
  section.dataset.scenarioId = scenario.id;
  section.dataset.state = 'running';
  const output = el('div', 'result', 'Running…');
  section.append(el('h2', undefined, scenario.title), el('pre', 'source', scenario.source), output);
  container.append(section);
  return output;
}

async function main(): Promise<void> {
  const container = document.querySelector<HTMLElement>('#scenarios');
  const versionLabel = document.querySelector<HTMLElement>('#engine-version');
  if (!container || !versionLabel) throw new Error('index.html is missing #scenarios or #engine-version');
  const engine = createEngineClient({ timeoutMs: 15_000 });
  engine.engineVersion().then(
    (version) => { versionLabel.textContent = version; },
    (error: unknown) => { versionLabel.textContent = `failed to load (${String(error)})`; },
  );
  for (const scenario of ARTICLE_SCENARIOS) {
    const output = setupScenario(container, scenario);
    const section = output.parentElement as HTMLElement;
    try {
      renderResult(output, await engine.runProgram(scenario.source, { profile: 'keras3', seed: 0 }));
      section.dataset.state = 'done';
    } catch (error) {
      output.textContent = `The engine failed: ${String(error)}`;
      section.dataset.state = 'failed';
    }
  }
}

void main();
