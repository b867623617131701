/**
 * The demo's sample project: three interview transcripts from a study of
 * how households coped after a flood, and a dozen codes in four categories.
 * Realistic in shape (short transcripts, nested codes), small enough to read.
 */
export const PROJECT_NAME = "After the flood: household coping study";

export const TRANSCRIPTS: ReadonlyArray<{ readonly name: string; readonly text: string }> = [
  {
    name: "Interview 1 — Maria (48, shop owner)",
    text:
      "Interviewer: What happened the first week?\n" +
      "Maria: After the flood we had nothing. The shop was under a metre of water. " +
      "I hope things get better for the kids, they lost school for a month. " +
      "Some nights we just laughed about it, what else can you do. " +
      "The neighbours brought food and my cousin lent us money for the freezer. " +
      "The insurance people came twice and said different things each time.",
  },
  {
    name: "Interview 2 — Tomasz (67, retired)",
    text:
      "Interviewer: Who helped you most?\n" +
      "Tomasz: The church hall opened on the second night. I slept there for nine days. " +
      "I was worried about my medication, the pharmacy was closed. " +
      "A young volunteer drove me to the hospital in her own car. " +
      "The council letters were impossible to understand. " +
      "I do not trust them to fix the drains before next winter.",
  },
  {
    name: "Interview 3 — Aisha (31, nurse)",
    text:
      "Interviewer: How did work and home fit together?\n" +
      "Aisha: I worked double shifts while my husband moved everything upstairs. " +
      "We started a group chat for the street and shared who needed what. " +
      "Honestly I was exhausted and angry at how slow the response was. " +
      "But we are closer as a street now. I feel we could handle it again.",
  },
];

export const CATEGORIES: ReadonlyArray<{
  readonly name: string;
  readonly color: string;
  readonly codes: ReadonlyArray<readonly [string, string]>;
}> = [
  {
    name: "Emotions",
    color: "#d9534f",
    codes: [
      ["Hope", "#f0ad4e"],
      ["Worry", "#777777"],
      ["Anger", "#c9302c"],
    ],
  },
  {
    name: "Coping",
    color: "#5cb85c",
    codes: [
      ["Humour", "#5bc0de"],
      ["Practical action", "#449d44"],
      ["Confidence", "#2e7d32"],
    ],
  },
  {
    name: "Support",
    color: "#337ab7",
    codes: [
      ["Neighbours", "#286090"],
      ["Family", "#1f4e79"],
      ["Volunteers", "#5dade2"],
    ],
  },
  {
    name: "Institutions",
    color: "#8e44ad",
    codes: [
      ["Insurance", "#7d3c98"],
      ["Council", "#6c3483"],
      ["Health services", "#a569bd"],
    ],
  },
];

/** Passages to code at set-up: [transcript index, quoted passage, code name]. */
export const FIRST_CODING: ReadonlyArray<readonly [number, string, string]> = [
  [0, "I hope things get better for the kids", "Hope"],
  [0, "we just laughed about it", "Humour"],
  [0, "The neighbours brought food", "Neighbours"],
  [0, "my cousin lent us money", "Family"],
  [0, "said different things each time", "Insurance"],
  [1, "I was worried about my medication", "Worry"],
  [1, "A young volunteer drove me to the hospital", "Volunteers"],
  [1, "The council letters were impossible to understand", "Council"],
  [2, "We started a group chat for the street", "Practical action"],
  [2, "angry at how slow the response was", "Anger"],
];
