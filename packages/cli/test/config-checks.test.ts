import { describe, expect, it } from 'vitest';
import { configSchema } from '../src/config/config-schema.ts';
import { checkConfig } from '../src/config/config-checks.ts';
import { problemsOfIssues } from '../src/config/config-problems.ts';
import { splitCommand } from '../src/config/split-command.ts';

describe('splitting a command string without a shell', () => {
  it('splits on blanks, honouring single and double quotes and backslash escapes', () => {
    expect(splitCommand('node server.js --port 8080')).toEqual({ argv: ['node', 'server.js', '--port', '8080'] });
    expect(splitCommand(`node "my app.js" 'it''s' a\\ b "say \\"hi\\"" ''`)).toEqual({ argv: ['node', 'my app.js', 'its', 'a b', 'say "hi"', ''] });
    expect(splitCommand(`echo '$HOME' "a|b" \\$X \\> '*.js'`)).toEqual({ argv: ['echo', '$HOME', 'a|b', '$X', '>', '*.js'] });
  });

  it.each([
    ['node a.js | tee log', '"|"'],
    ['make && make install', '"&&"'],
    ['node a.js > out.log', '">"'],
    ['node a.js < in', '"<"'],
    ['a; b', '";"'],
    ['node a.js &', '"&"'],
    ['echo $HOME', 'the variable "$HOME"'],
    ['echo "${PORT}"', 'the variable "$PORT"'],
    ['ls *.js', 'the glob "*.js"'],
    ['node a.js # the app', 'a comment'],
  ])('refuses %s, saying to set shell: true', (command, what) => {
    const split = splitCommand(command);
    expect(split).toEqual({ problem: expect.stringContaining(what) as unknown });
    expect('problem' in split && split.problem).toContain('set `shell: true`');
  });

  it('refuses a leading NAME=value assignment, pointing at env', () => {
    expect(splitCommand('PORT=80 node a.js')).toEqual({ problem: expect.stringContaining('put it under env') as unknown });
  });
});

describe('the checks across fields', () => {
  it('names an unknown dependency, a dependency on itself, a cycle and a name used twice, in groups too', () => {
    const config = {
      processes: { a: { command: 'x', dependsOn: ['b'] }, b: { command: 'x', dependsOn: ['a'] }, c: { command: 'x', dependsOn: ['c'] } },
      groups: {
        a: { processes: {}, dependsOn: ['b'] },
        g: { processes: { d: { command: 'x', dependsOn: ['nope'] } } },
      },
    };
    expect(checkConfig(config).map((p) => [p.path.join('.'), p.message])).toEqual([
      ['groups.a', '"a" is also a process name: names are unique among siblings'],
      ['processes.c.dependsOn.0', '"c" cannot depend on itself'],
      ['processes.a.dependsOn', 'dependency cycle: a -> b -> a'],
      ['groups.g.processes.d.dependsOn.0', '"nope" is not a sibling (siblings: none)'],
    ]);
  });

  it('refuses shell: true with an argv list', () => {
    expect(checkConfig({ processes: { a: { command: ['a', 'b'], shell: true } } })).toEqual([
      { path: ['processes', 'a', 'shell'], message: 'needs command as a string (the line sh -c runs)' },
    ]);
  });
});

describe('schema problems', () => {
  it('reports every unknown key, a bad name, a missing command and a bad probe field, each at its path', () => {
    const result = configSchema.safeParse({
      nmae: 'x',
      processes: { 'a/b': { command: 'x' }, web: { readinessProbe: { http: { port: 'eighty' } } } },
      groups: { g: { procesess: {} } },
    });
    expect(result.success).toBe(false);
    const problems = result.success ? [] : problemsOfIssues(result.error.issues, () => undefined);
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      ['processes.a/b', expect.stringContaining('a name of letters') as unknown],
      ['processes.web.command', 'required'],
      ['processes.web.readinessProbe.http.port', 'expected number, received string'],
      ['groups.g.procesess', 'unknown key (a typo?)'],
      ['nmae', 'unknown key (a typo?)'],
    ]);
  });
});
