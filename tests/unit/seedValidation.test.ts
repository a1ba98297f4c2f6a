/** The seed validator names the file and the record for each kind of bad input, before anything is written. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readSeedGraph, SEED_DIR, SeedValidationError } from '../../src/seed/validate';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kg-seed-'));
  cpSync(SEED_DIR, dir, { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

type Json = Record<string, any>;
function edit(file: string, change: (json: Json) => void): void {
  const full = path.join(dir, file);
  const json = JSON.parse(readFileSync(full, 'utf8')) as Json;
  change(json);
  writeFileSync(full, JSON.stringify(json));
}

function problems(): string[] {
  try {
    readSeedGraph(dir);
  } catch (error) {
    if (error instanceof SeedValidationError) return error.problems;
    throw error;
  }
  return [];
}

test('the committed seed is valid', () => {
  const graph = readSeedGraph();
  expect(graph.documents.map((d) => d.id)).toEqual(['paris-coalition-summit']);
  expect(graph.entities.length).toBeGreaterThanOrEqual(40);
  expect(graph.relations.length).toBeGreaterThanOrEqual(70);
});

test('an unknown entity id names the file, the record and the id', () => {
  edit('relations/territory.json', (json) => {
    json.relations[0].target = 'atlantis';
  });
  expect(problems()).toEqual([
    expect.stringMatching(
      /territory\.json: relations\[0\] \(id "russia-controls-donetsk-region"\): target names unknown entity id "atlantis"/,
    ),
  ]);
});

test('a quote that is not in the document is rejected', () => {
  edit('relations/territory.json', (json) => {
    json.relations[0].evidence[0].quote = 'Moscow controls all of Donetsk';
  });
  expect(problems()).toEqual([
    expect.stringMatching(
      /relations\[0\].*evidence\[0\]\.quote is not an exact substring of the document text of "paris-coalition-summit"/,
    ),
  ]);
});

test('a share outside 0..1 is rejected', () => {
  edit('relations/territory.json', (json) => {
    json.relations[0].share = 75;
  });
  expect(problems()).toEqual([expect.stringMatching(/territory\.json: relations\[0\].*share must be between 0 and 1/)]);
});

test('a bad date is rejected, and so is a date more precise than the format allows', () => {
  edit('relations/military.json', (json) => {
    json.relations[0].validFrom = '2022-02-30';
    json.relations[1].pointInTime = 'February 2022';
  });
  const found = problems();
  expect(found).toHaveLength(2);
  expect(found[0]).toMatch(/military\.json: relations\[0\].*validFrom must be a real date/);
  expect(found[1]).toMatch(/military\.json: relations\[1\].*pointInTime must be a real date/);
});

test('a CLAIMED fact without a claimant, and an attribute the kind does not have, are rejected', () => {
  edit('entities.json', (json) => {
    const plan = json.entities.find((e: Json) => e.id === 'ukraine-peace-plan');
    plan.attributes[0].claimedBy = null;
    json.entities.find((e: Json) => e.id === 'nato').attributes = [{ name: 'termYears', value: 3, evidence: plan.evidence }];
  });
  const found = problems();
  expect(found).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/entities\.json: entities\[\d+\] \(id "ukraine-peace-plan"\).*claimedBy is required with modality CLAIMED/),
      expect.stringMatching(/\(id "nato"\).*ORGANIZATION has no attribute "termYears"/),
    ]),
  );
});

test('duplicate relation ids and an unknown relation type are rejected', () => {
  edit('relations/territory.json', (json) => {
    json.relations[1].id = json.relations[0].id;
    json.relations[2].type = 'INVADES';
  });
  const found = problems();
  expect(found).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/duplicate relation id "russia-controls-donetsk-region"/),
      expect.stringMatching(/relations\[2\].*type/),
    ]),
  );
});
