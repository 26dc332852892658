import type { Section } from "~/prompt/draft";
import type { CompletionData } from "./codemirror.client";
import type { TemplateEditorRef } from "./TemplateEditor";

/** What a section card may do to the draft and to the list around it. */
export type SectionActions = {
  update(index: number, patch: Partial<Section>): void;
  move(from: number, to: number): void;
  duplicate(index: number): void;
  remove(index: number): void;
  toggleCollapsed(id: string): void;
  registerEditor(id: string, ref: TemplateEditorRef | null): void;
  getCompletions(): CompletionData;
  dragStart(index: number): void;
  dragOver(index: number, after: boolean): void;
  drop(): void;
  dragEnd(): void;
};
