import { sql } from 'kysely'
import type { FormAgreement, FormConstraint, LinkField, PublishedForm, RollupField } from '@tessera/core'
import { loadPublishedForm } from '../catalog.js'
import type { Executor } from '../database.js'

/** A rollup of `parent` over the records of another form, through `link` of that form. */
export interface RollupEdge {
  parent: PublishedForm
  field: RollupField
  link: LinkField
}

/** A constraint of `child` that limits sums per record of `parent`, through `link`. */
export interface ConstraintEdge {
  child: PublishedForm
  parent: PublishedForm
  constraint: FormConstraint
  link: LinkField
}

/**
 * An agreement of `child` that reads fields (`fields`) of the records of
 * another form through `link`: changing those fields there can break it.
 */
export interface AgreementEdge {
  child: PublishedForm
  agreement: FormAgreement
  link: LinkField
  fields: string[]
}

/**
 * The published forms of one app and what connects them beyond plain
 * links: which rollups read the records of which form, and which
 * constraints limit sums per record of which form. Writes consult it to
 * keep rollups elsewhere current and constraints kept.
 */
export class FormGraph {
  readonly #forms: Map<string, PublishedForm>
  readonly #rollups = new Map<string, RollupEdge[]>()
  readonly #constraints: ConstraintEdge[] = []
  readonly #agreements = new Map<string, AgreementEdge[]>()

  constructor(forms: PublishedForm[]) {
    this.#forms = new Map(forms.map((form) => [form.key, form]))
    for (const child of forms) {
      for (const agreement of child.definition.agreements ?? []) {
        const read = new Map<string, string[]>()
        for (const path of agreement.paths) {
          const [head, tail] = path.split('.')
          if (tail !== undefined) read.set(head, [...(read.get(head) ?? []), tail])
        }
        for (const [head, fields] of read) {
          const link = child.definition.fields.find((f) => f.key === head)
          if (link?.type !== 'link' || !this.#forms.has(link.form)) continue
          const edges = this.#agreements.get(link.form) ?? []
          edges.push({ child, agreement, link, fields })
          this.#agreements.set(link.form, edges)
        }
      }
    }
    for (const child of forms) {
      for (const constraint of child.definition.constraints ?? []) {
        const link = child.definition.fields.find((f) => f.key === constraint.per)
        const parent = link?.type === 'link' ? this.#forms.get(link.form) : undefined
        if (link?.type === 'link' && parent) this.#constraints.push({ child, parent, constraint, link })
      }
    }
    for (const parent of forms) {
      for (const field of parent.definition.fields) {
        if (field.type !== 'rollup' || field.form === undefined) continue
        const child = this.#forms.get(field.form)
        const link = child?.definition.fields.find((f) => f.key === field.link)
        if (link?.type !== 'link') continue
        const edges = this.#rollups.get(field.form) ?? []
        edges.push({ parent, field, link })
        this.#rollups.set(field.form, edges)
      }
    }
  }

  form(key: string): PublishedForm | undefined {
    return this.#forms.get(key)
  }

  /** The rollups (of any form) that aggregate records of `formKey`. */
  rollupsOver(formKey: string): readonly RollupEdge[] {
    return this.#rollups.get(formKey) ?? []
  }

  /** The constraints of `formKey` itself (it holds the summed records). */
  constraintsOf(formKey: string): readonly ConstraintEdge[] {
    return this.#constraints.filter((edge) => edge.child.key === formKey)
  }

  /** The agreements (of any form) that read fields of `formKey`'s records through a link. */
  agreementsOn(formKey: string): readonly AgreementEdge[] {
    return this.#agreements.get(formKey) ?? []
  }

  /** The constraints whose limit is a field of `formKey`'s records. */
  constraintsOn(formKey: string): readonly ConstraintEdge[] {
    return this.#constraints.filter((edge) => edge.parent.key === formKey)
  }
}

/** Where the published forms of an app come from, when they are cached. */
export interface PublishedForms {
  publishedForms(app: string, db?: Executor): Promise<PublishedForm[]>
}

/**
 * Graphs by app, rebuilt when a form of the app has a new published
 * version. With a catalogue, the graph follows the forms the catalogue
 * serves (cached in this process and refreshed when it publishes), so a
 * load costs no query once warm; without one, each load costs one small
 * query for the versions. Queries go through the caller's handle (a
 * transaction's, when inside one).
 */
export class FormGraphs {
  readonly #forms = new Map<string, PublishedForm>()
  readonly #graphs = new Map<string, { signature: string; graph: FormGraph }>()
  readonly #catalog: PublishedForms | undefined

  constructor(catalog?: PublishedForms) {
    this.#catalog = catalog
  }

  async load(db: Executor, app: string): Promise<FormGraph> {
    if (this.#catalog) return this.#fromCatalog(this.#catalog, db, app)
    const { rows } = await sql<{ key: string; version: number }>`
      select key, published_version as version from tessera.form
      where app_key = ${app} and published_version is not null order by key`.execute(db)
    const signature = rows.map((row) => `${row.key}@${row.version}`).join(',')
    const cached = this.#graphs.get(app)
    if (cached?.signature === signature) return cached.graph

    const forms: PublishedForm[] = []
    for (const { key, version } of rows) {
      const id = `${app}/${key}@${version}`
      let form = this.#forms.get(id)
      if (!form) {
        form = await loadPublishedForm(db, app, key)
        if (!form || form.version !== version) continue
        this.#forms.set(id, form)
      }
      forms.push(form)
    }
    const graph = new FormGraph(forms)
    this.#graphs.set(app, { signature, graph })
    return graph
  }

  async #fromCatalog(catalog: PublishedForms, db: Executor, app: string): Promise<FormGraph> {
    const forms = await catalog.publishedForms(app, db)
    const signature = forms.map((form) => `${form.key}@${form.version}`).join(',')
    const cached = this.#graphs.get(app)
    if (cached?.signature === signature) return cached.graph
    const graph = new FormGraph(forms)
    this.#graphs.set(app, { signature, graph })
    return graph
  }
}
