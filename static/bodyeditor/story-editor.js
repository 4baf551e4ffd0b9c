// The story editor's Tiptap extensions for django-prose-editor (issue 10): library
// images, galleries, embeds, pull quotes and simple tables, stored as references:
//
//   <figure data-image="42" data-size="wide"><figcaption>Caption</figcaption></figure>
//   <figure data-gallery="42,43,44"><figcaption>Caption</figcaption></figure>
//   <figure data-embed="https://www.youtube.com/watch?v=…"><figcaption>…</figcaption></figure>
//   <figure data-pullquote=""><blockquote><p>Quote</p></blockquote><figcaption>Who</figcaption></figure>
//   <table><thead><tr><th>…</th></tr></thead><tbody><tr><td>…</td></tr></tbody></table>
//
// Loaded by django-prose-editor's "configurable" preset (settings.DJANGO_PROSE_EDITOR_EXTENSIONS);
// no build step. Dialogs are native <dialog> elements with labelled fields; nothing
// here writes inline styles, so the admin's CSP needs nothing new.
import {
  Node,
  Table as BaseTable,
  TableCell as BaseTableCell,
  TableHeader as BaseTableHeader,
} from "django-prose-editor/editor"

const SIZES = [
  ["inline", "Inline (text width)"],
  ["wide", "Wide"],
  ["full", "Full bleed"],
]

// The editor's own look for figures and dialogs, next to this module (so every form
// that uses the body editor gets it, the article's and the pages').
if (!document.querySelector("link[data-story-editor]")) {
  const link = document.createElement("link")
  link.rel = "stylesheet"
  link.href = new URL("story-editor.css", import.meta.url).href
  link.dataset.storyEditor = ""
  document.head.append(link)
}

// ---- small DOM helpers -------------------------------------------------------

function el(tag, props = {}, children = []) {
  const node = document.createElement(tag)
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue
    if (key === "className" || key === "textContent" || key === "value") node[key] = value
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value)
    else node.setAttribute(key, value === true ? "" : value)
  }
  for (const child of children) if (child) node.append(child)
  return node
}

let uid = 0
const nextId = (prefix) => `${prefix}-${++uid}`

function field(labelText, input, help) {
  input.id = input.id || nextId("story-field")
  const helpNode = help ? el("p", { className: "story-dialog__help", id: `${input.id}-help`, textContent: help }) : null
  if (helpNode) input.setAttribute("aria-describedby", helpNode.id)
  return el("div", { className: "story-dialog__field" }, [
    el("label", { for: input.id, textContent: labelText }),
    input,
    helpNode,
  ])
}

function csrfToken() {
  const input = document.querySelector("input[name=csrfmiddlewaretoken]")
  if (input) return input.value
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/)
  return match ? decodeURIComponent(match[1]) : ""
}

async function postForm(url, formData) {
  const response = await fetch(url, {
    method: "POST",
    body: formData,
    credentials: "same-origin",
    headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
  })
  let data = {}
  try {
    data = await response.json()
  } catch {
    data = { error: `The server answered ${response.status}.` }
  }
  return { ok: response.ok, data }
}

async function getJSON(url) {
  const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
  if (!response.ok) throw new Error(`The server answered ${response.status}.`)
  return response.json()
}

const imageCache = new Map()

// Library entries by id, fetched once per editor page (alt text and thumbnail for previews).
async function libraryImages(endpoint, ids) {
  const missing = ids.filter((id) => !imageCache.has(id))
  if (missing.length) {
    const data = await getJSON(`${endpoint}?ids=${missing.join(",")}`)
    for (const image of data.results) imageCache.set(String(image.id), image)
  }
  return ids.map((id) => imageCache.get(id)).filter(Boolean)
}

// ---- dialogs -------------------------------------------------------------------

// A modal <dialog> labelled by its heading. `build(body)` fills it and returns
// `submit()`, which resolves to a value (closes the dialog) or to null (stays open,
// e.g. after showing an error). Escape and Cancel close it; focus returns to the editor.
function openDialog(editor, title, build, submitText = "Insert") {
  const heading = el("h2", { id: nextId("story-dialog-title"), textContent: title })
  const body = el("div", { className: "story-dialog__body" })
  const error = el("p", { className: "story-dialog__error", role: "alert" })
  const form = el("form", { method: "dialog", className: "story-dialog__form", novalidate: true })
  const cancel = el("button", { type: "button", className: "story-dialog__cancel", textContent: "Cancel" })
  const ok = el("button", { type: "submit", className: "story-dialog__submit default", textContent: submitText })
  form.append(heading, body, error, el("div", { className: "story-dialog__actions" }, [ok, cancel]))
  const dialog = el("dialog", { className: "story-dialog", "aria-labelledby": heading.id }, [form])
  document.body.append(dialog)
  const showError = (message) => {
    error.textContent = message || ""
  }
  const submit = build(body, showError)

  return new Promise((resolve) => {
    let settled = false
    const finish = (value) => {
      if (settled) return
      settled = true
      dialog.close()
      dialog.remove()
      editor.commands.focus()
      resolve(value)
    }
    cancel.addEventListener("click", () => finish(null))
    dialog.addEventListener("close", () => finish(null))
    form.addEventListener("submit", async (event) => {
      event.preventDefault()
      showError("")
      ok.disabled = true
      try {
        const value = await submit()
        if (value) finish(value)
      } catch (err) {
        showError(err.message)
      } finally {
        ok.disabled = false
      }
    })
    dialog.showModal()
  })
}

function imagePicker(editor, options, { gallery }) {
  const title = gallery ? "Insert a gallery" : "Insert an image"
  return openDialog(editor, title, (body, showError) => {
    const chosen = new Set()
    const search = el("input", { type: "search", className: "vTextField", autocomplete: "off" })
    const results = el("ul", { className: "story-picker__results" })
    const status = el("p", { className: "story-picker__status", role: "status" })
    const caption = el("input", { type: "text", className: "vTextField", maxlength: "500" })
    const choice = gallery ? "checkbox" : "radio"
    const group = nextId("story-pick")

    const sizeFieldset = gallery
      ? null
      : el("fieldset", { className: "story-picker__sizes" }, [
          el("legend", { textContent: "Size" }),
          ...SIZES.map(([value, label], index) => {
            const radio = el("input", { type: "radio", name: `${group}-size`, value, checked: index === 0 })
            radio.id = nextId("story-size")
            return el("span", { className: "story-picker__size" }, [radio, el("label", { for: radio.id, textContent: label })])
          }),
        ])

    function renderResults(images, { prepend = false } = {}) {
      if (!prepend) results.replaceChildren()
      for (const image of images) {
        const input = el("input", { type: choice, name: group, value: String(image.id), checked: chosen.has(String(image.id)) })
        input.id = nextId("story-image")
        input.addEventListener("change", () => {
          if (!gallery) chosen.clear()
          if (input.checked) chosen.add(input.value)
          else chosen.delete(input.value)
        })
        const label = el("label", { for: input.id, className: "story-picker__choice" }, [
          el("img", { src: image.thumbnail, alt: "", width: "120", height: String(Math.round((120 * image.height) / (image.width || 1)) || 80) }),
          el("span", { className: "story-picker__alt", textContent: image.alt }),
          image.credit ? el("span", { className: "story-picker__credit", textContent: image.credit }) : null,
        ])
        const item = el("li", {}, [input, label])
        if (prepend) results.prepend(item)
        else results.append(item)
      }
      status.textContent = results.children.length
        ? `${results.children.length} image${results.children.length === 1 ? "" : "s"} shown.`
        : "No image in the library matches. Upload one below."
    }

    let timer = null
    async function runSearch() {
      try {
        const data = await getJSON(`${options.endpoint}?q=${encodeURIComponent(search.value.trim())}`)
        for (const image of data.results) imageCache.set(String(image.id), image)
        renderResults(data.results)
      } catch (err) {
        showError(`Searching the library failed: ${err.message}`)
      }
    }
    search.addEventListener("input", () => {
      clearTimeout(timer)
      timer = setTimeout(runSearch, 250)
    })
    search.addEventListener("keydown", (event) => {
      // Enter searches now instead of submitting the dialog.
      if (event.key === "Enter") {
        event.preventDefault()
        clearTimeout(timer)
        runSearch()
      }
    })

    // Upload on the spot: the library's own form and rules (alt text required).
    const file = el("input", { type: "file", accept: "image/jpeg,image/png,image/webp,image/avif,image/gif" })
    const alt = el("input", { type: "text", className: "vTextField", maxlength: "300", "aria-required": "true" })
    const credit = el("input", { type: "text", className: "vTextField", maxlength: "200" })
    const uploadButton = el("button", { type: "button", className: "button", textContent: "Upload to the library" })
    uploadButton.addEventListener("click", async () => {
      showError("")
      if (!file.files.length) return showError("Choose an image file to upload.")
      if (!alt.value.trim()) {
        alt.focus()
        return showError("Alt text is required: say what the image shows, for readers who cannot see it.")
      }
      const data = new FormData()
      data.append("file", file.files[0])
      data.append("alt", alt.value)
      data.append("credit", credit.value)
      uploadButton.disabled = true
      try {
        const answer = await postForm(options.upload, data)
        if (!answer.ok) {
          const errors = answer.data.errors
            ? Object.values(answer.data.errors).flat().join(" ")
            : answer.data.error
          return showError(`The upload was refused: ${errors}`)
        }
        imageCache.set(String(answer.data.id), answer.data)
        if (!gallery) chosen.clear()
        chosen.add(String(answer.data.id))
        renderResults([answer.data], { prepend: true })
        results.querySelectorAll(`input[value="${answer.data.id}"]`).forEach((input) => {
          input.checked = true
        })
        file.value = ""
        alt.value = ""
        credit.value = ""
        status.textContent = `Uploaded “${answer.data.alt}” and selected it.`
      } finally {
        uploadButton.disabled = false
      }
    })
    const upload = el("details", { className: "story-picker__upload" }, [
      el("summary", { textContent: "Upload a new image" }),
      field("Image file", file),
      field("Alt text (required)", alt, "What the image shows, for readers who cannot see it. Travels with the image."),
      field("Credit", credit),
      uploadButton,
    ])

    body.append(
      field("Search the library", search, "Alt text, credit or file name."),
      status,
      results,
      upload,
      sizeFieldset,
      field(gallery ? "Gallery caption" : "Caption", caption, "Optional. Shown under the image with its credit."),
    )
    runSearch()
    setTimeout(() => search.focus(), 0)

    return async () => {
      const ids = [...chosen]
      if (gallery && ids.length < 2) return showError("Choose two or more images for a gallery.")
      if (!gallery && ids.length !== 1) return showError("Choose an image.")
      const size = sizeFieldset ? sizeFieldset.querySelector("input:checked").value : null
      return { ids, size, caption: caption.value.trim() }
    }
  })
}

function embedDialog(editor, options) {
  return openDialog(editor, "Embed a video, audio or post", (body, showError) => {
    const url = el("input", { type: "url", className: "vURLField", autocomplete: "off", "aria-required": "true" })
    const caption = el("input", { type: "text", className: "vTextField", maxlength: "500" })
    body.append(
      field("Link", url, "Paste the address of the video, audio or post, e.g. https://www.youtube.com/watch?v=…"),
      field("Caption", caption, "Optional."),
    )
    setTimeout(() => url.focus(), 0)
    return async () => {
      // The server decides: it knows the provider registry the sanitizer uses.
      const data = new FormData()
      data.append("url", url.value)
      const answer = await postForm(options.check, data)
      if (!answer.ok) {
        url.setAttribute("aria-invalid", "true")
        url.focus()
        return showError(answer.data.error)
      }
      return { url: answer.data.url, provider: answer.data.provider, caption: caption.value.trim() }
    }
  })
}

function pullQuoteDialog(editor) {
  const selected = editor.state.doc.textBetween(editor.state.selection.from, editor.state.selection.to, " ")
  return openDialog(editor, "Insert a pull quote", (body, showError) => {
    const quote = el("textarea", { rows: "3", className: "vLargeTextField", "aria-required": "true" })
    quote.value = selected
    const attribution = el("input", { type: "text", className: "vTextField", maxlength: "300" })
    body.append(
      field("Quote", quote, "A sentence from the story, set large and apart from the text."),
      field("Attribution", attribution, "Optional: who said it."),
    )
    setTimeout(() => quote.focus(), 0)
    return async () => {
      if (!quote.value.trim()) return showError("Type the sentence to set as a pull quote.")
      return { quote: quote.value.trim().replace(/\s+/g, " "), attribution: attribution.value.trim() }
    }
  })
}

function tableDialog(editor) {
  return openDialog(editor, "Insert a table", (body, showError) => {
    const rows = el("input", { type: "number", min: "2", max: "100", value: "3", className: "vIntegerField" })
    const cols = el("input", { type: "number", min: "1", max: "20", value: "3", className: "vIntegerField" })
    body.append(
      field("Rows, the header row included", rows),
      field("Columns", cols),
      el("p", { className: "story-dialog__help", textContent: "The first row is the header row." }),
    )
    setTimeout(() => rows.focus(), 0)
    return async () => {
      const r = Number.parseInt(rows.value, 10)
      const c = Number.parseInt(cols.value, 10)
      if (!(r >= 2 && r <= 100 && c >= 1 && c <= 20)) return showError("A table has 2–100 rows and 1–20 columns.")
      return { rows: r, cols: c }
    }
  }, "Insert table")
}

// ---- node views ----------------------------------------------------------------

// Figures are atoms: the editor edits them through the controls in their node view
// (caption, size, remove), never through their markup.
function figureView({ node, getPos, editor, kind, renderPreview, controls }) {
  let current = node
  const dom = el("figure", { className: `story-figure story-figure--${kind}`, contenteditable: "false" })
  const label = el("p", { className: "story-figure__label" })
  const preview = el("div", { className: "story-figure__preview" })
  const inputs = {}

  const update = (attrs) => {
    const pos = getPos()
    if (typeof pos !== "number") return
    editor.view.dispatch(editor.view.state.tr.setNodeMarkup(pos, undefined, { ...current.attrs, ...attrs }))
  }
  for (const control of controls) {
    const input = control.build()
    input.id = nextId(`story-${kind}-${control.attr}`)
    input.addEventListener(control.event || "input", () => update({ [control.attr]: input.value }))
    inputs[control.attr] = input
    dom.append(el("div", { className: "story-figure__control" }, [el("label", { for: input.id, textContent: control.label }), input]))
  }
  const remove = el("button", { type: "button", className: "story-figure__remove", textContent: `Remove ${kind === "pullquote" ? "pull quote" : kind}` })
  remove.addEventListener("click", () => {
    const pos = getPos()
    if (typeof pos === "number") editor.chain().focus().deleteRange({ from: pos, to: pos + current.nodeSize }).run()
  })
  dom.prepend(label, preview)
  dom.append(remove)

  let previewKey = null
  const refresh = () => {
    for (const [attr, input] of Object.entries(inputs)) {
      if (document.activeElement !== input && input.value !== (current.attrs[attr] || "")) input.value = current.attrs[attr] || ""
    }
    // Typing a caption does not reload the thumbnails; a new image or size does.
    const key = JSON.stringify(Object.entries(current.attrs).filter(([attr]) => !(attr in inputs) || attr === "size"))
    if (key !== previewKey) {
      previewKey = key
      renderPreview(current, label, preview)
    }
  }
  refresh()

  return {
    dom,
    update(newNode) {
      if (newNode.type !== current.type) return false
      const changed = JSON.stringify(newNode.attrs) !== JSON.stringify(current.attrs)
      current = newNode
      if (changed) refresh()
      return true
    },
    // Typing in a caption is the field's business, not ProseMirror's.
    stopEvent: (event) => event.target !== dom && dom.contains(event.target) && event.target.matches("input, textarea, select, button, label"),
    ignoreMutation: () => true,
  }
}

function textAttr(name, selector = null) {
  return {
    default: "",
    rendered: false,
    parseHTML: (element) => {
      if (!selector) return element.getAttribute(`data-${name}`) || ""
      const child = element.querySelector(selector)
      return child ? child.textContent.trim() : ""
    },
  }
}

function captionSpec(caption) {
  return caption ? [["figcaption", {}, caption]] : []
}

function previewImages(endpoint, ids, preview, label = null) {
  preview.replaceChildren(el("span", { className: "story-figure__loading", textContent: "Loading preview…" }))
  libraryImages(endpoint, ids)
    .then((images) => {
      preview.replaceChildren(
        ...images.map((image) => el("img", { src: image.thumbnail, alt: image.alt, width: "160", height: String(Math.round((160 * image.height) / (image.width || 1)) || 90) })),
      )
      if (label && images.length === 1) label.textContent = `${label.textContent}: ${images[0].alt}`
      if (images.length < ids.length) {
        preview.append(el("p", { className: "story-figure__warning", textContent: "An image here is no longer in the library." }))
      }
    })
    .catch((err) => preview.replaceChildren(el("p", { className: "story-figure__warning", textContent: `No preview: ${err.message}` })))
}

// A figure followed by a paragraph to keep writing in (an unused one is not stored:
// see normalizeBody).
const insertBlock = (commands, type, attrs) => commands.insertContent([{ type, attrs }, { type: "paragraph" }])

const figureNode = (config) =>
  Node.create({
    group: "block",
    atom: true,
    draggable: true,
    selectable: true,
    isolating: true,
    addOptions: () => ({ endpoint: "", upload: "", check: "" }),
    ...config,
  })

export const HolrImage = figureNode({
  name: "holrImage",
  addAttributes: () => ({
    image: textAttr("image"),
    size: { ...textAttr("size"), default: "inline" },
    caption: textAttr("caption", ":scope > figcaption"),
  }),
  parseHTML: () => [{ tag: "figure[data-image]" }],
  renderHTML({ node }) {
    return ["figure", { "data-image": node.attrs.image, "data-size": node.attrs.size || "inline" }, ...captionSpec(node.attrs.caption)]
  },
  addNodeView() {
    const { endpoint } = this.options
    return (props) =>
      figureView({
        ...props,
        kind: "image",
        controls: [
          {
            attr: "size",
            label: "Size",
            event: "change",
            build: () => el("select", {}, SIZES.map(([value, text]) => el("option", { value, textContent: text }))),
          },
          { attr: "caption", label: "Caption", build: () => el("input", { type: "text", className: "vTextField" }) },
        ],
        renderPreview(node, label, preview) {
          const size = SIZES.find(([value]) => value === node.attrs.size)
          label.textContent = `Image, ${size ? size[1].toLowerCase() : node.attrs.size}`
          previewImages(endpoint, [node.attrs.image], preview, label)
        },
      })
  },
  addCommands() {
    return {
      insertHolrImage: (attrs) => ({ commands }) => insertBlock(commands, this.name, attrs),
    }
  },
  addMenuItems({ buttons, menu }) {
    const options = this.options
    menu.defineItem({
      name: "holrImage",
      groups: "media",
      button: buttons.material("image", "Insert an image from the library"),
      command(editor) {
        imagePicker(editor, options, { gallery: false }).then((value) => {
          if (value) editor.chain().focus().insertHolrImage({ image: value.ids[0], size: value.size, caption: value.caption }).run()
        })
      },
    })
  },
})

export const HolrGallery = figureNode({
  name: "holrGallery",
  addAttributes: () => ({ gallery: textAttr("gallery"), caption: textAttr("caption", ":scope > figcaption") }),
  parseHTML: () => [{ tag: "figure[data-gallery]" }],
  renderHTML({ node }) {
    return ["figure", { "data-gallery": node.attrs.gallery }, ...captionSpec(node.attrs.caption)]
  },
  addNodeView() {
    const { endpoint } = this.options
    return (props) =>
      figureView({
        ...props,
        kind: "gallery",
        controls: [{ attr: "caption", label: "Gallery caption", build: () => el("input", { type: "text", className: "vTextField" }) }],
        renderPreview(node, label, preview) {
          const ids = node.attrs.gallery.split(",").filter(Boolean)
          label.textContent = `Gallery of ${ids.length} images`
          previewImages(endpoint, ids, preview)
        },
      })
  },
  addCommands() {
    return {
      insertHolrGallery: (attrs) => ({ commands }) => insertBlock(commands, this.name, attrs),
    }
  },
  addMenuItems({ buttons, menu }) {
    const options = this.options
    menu.defineItem({
      name: "holrGallery",
      groups: "media",
      button: buttons.material("photo_library", "Insert a gallery of library images"),
      command(editor) {
        imagePicker(editor, options, { gallery: true }).then((value) => {
          if (value) editor.chain().focus().insertHolrGallery({ gallery: value.ids.join(","), caption: value.caption }).run()
        })
      },
    })
  },
})

export const HolrEmbed = figureNode({
  name: "holrEmbed",
  addAttributes: () => ({ embed: textAttr("embed"), caption: textAttr("caption", ":scope > figcaption") }),
  parseHTML: () => [{ tag: "figure[data-embed]" }],
  renderHTML({ node }) {
    return ["figure", { "data-embed": node.attrs.embed }, ...captionSpec(node.attrs.caption)]
  },
  addNodeView() {
    return (props) =>
      figureView({
        ...props,
        kind: "embed",
        controls: [{ attr: "caption", label: "Caption", build: () => el("input", { type: "text", className: "vTextField" }) }],
        renderPreview(node, label, preview) {
          let host = ""
          try {
            host = new URL(node.attrs.embed).hostname
          } catch {
            host = "unknown site"
          }
          // Our own placeholder: nothing is loaded from the provider in the editor either.
          label.textContent = `Embed from ${host}`
          preview.replaceChildren(el("p", { className: "story-figure__url", textContent: node.attrs.embed }))
        },
      })
  },
  addCommands() {
    return {
      insertHolrEmbed: (attrs) => ({ commands }) => insertBlock(commands, this.name, attrs),
    }
  },
  addMenuItems({ buttons, menu }) {
    const options = this.options
    menu.defineItem({
      name: "holrEmbed",
      groups: "media",
      button: buttons.material("smart_display", "Embed a video, audio or post"),
      command(editor) {
        embedDialog(editor, options).then((value) => {
          if (value) editor.chain().focus().insertHolrEmbed({ embed: value.url, caption: value.caption }).run()
        })
      },
    })
  },
})

export const HolrPullQuote = figureNode({
  name: "holrPullQuote",
  addAttributes: () => ({
    quote: textAttr("quote", ":scope > blockquote"),
    attribution: textAttr("attribution", ":scope > figcaption"),
  }),
  parseHTML: () => [{ tag: "figure[data-pullquote]" }],
  renderHTML({ node }) {
    return ["figure", { "data-pullquote": "" }, ["blockquote", {}, ["p", {}, node.attrs.quote]], ...captionSpec(node.attrs.attribution)]
  },
  addNodeView() {
    return (props) =>
      figureView({
        ...props,
        kind: "pullquote",
        controls: [
          { attr: "quote", label: "Quote", build: () => el("textarea", { rows: "2", className: "vLargeTextField" }) },
          { attr: "attribution", label: "Attribution", build: () => el("input", { type: "text", className: "vTextField" }) },
        ],
        renderPreview(node, label) {
          label.textContent = "Pull quote"
        },
      })
  },
  addCommands() {
    return {
      insertHolrPullQuote: (attrs) => ({ commands }) => insertBlock(commands, this.name, attrs),
    }
  },
  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "holrPullQuote",
      groups: "media",
      button: buttons.text("Pull quote", "Insert a pull quote"),
      command(editor) {
        pullQuoteDialog(editor).then((value) => {
          if (value) editor.chain().focus().insertHolrPullQuote(value).run()
        })
      },
    })
  },
})

// ---- simple tables ---------------------------------------------------------------

// No merged cells and no attributes in the stored markup: the cells' colspan/rowspan
// stay in the editor's model (the table plugin needs them) but are never written out.
const unrendered = (attributes) =>
  Object.fromEntries(Object.entries(attributes).map(([name, spec]) => [name, { ...spec, renderHTML: () => ({}) }]))

export const TableCell = BaseTableCell.extend({
  addAttributes() {
    return unrendered(this.parent?.() || {})
  },
})

export const TableHeader = BaseTableHeader.extend({
  addAttributes() {
    return unrendered(this.parent?.() || {})
  },
})

// The menu offers what a simple table needs; merging and splitting cells are left out.
export const Table = BaseTable.extend({
  addMenuItems({ buttons, menu }) {
    const outsideTable = (editor) => !editor.isActive("table")
    menu.defineItem({
      name: "table",
      groups: "table",
      button: buttons.material("grid_on", "Insert a table"),
      command(editor) {
        tableDialog(editor).then((value) => {
          if (value) editor.chain().focus().insertTable({ ...value, withHeaderRow: true }).run()
        })
      },
    })
    const commands = [
      ["addColumnAfter", "Add a column"],
      ["deleteColumn", "Delete the column"],
      ["addRowAfter", "Add a row"],
      ["deleteRow", "Delete the row"],
      ["deleteTable", "Delete the table"],
    ]
    for (const [command, title] of commands) {
      menu.defineItem({
        name: `table:${command}`,
        groups: "table",
        button: buttons.text(title.replace(/^(\w+) .*?(\w+)$/, "$1 $2"), title),
        hidden: outsideTable,
        command(editor) {
          editor.chain().focus()[command]().run()
        },
      })
    }
  },
})

// The stored form of the body: tables with their header row in <thead>, no attributes,
// a cell's lone paragraph unwrapped; no empty paragraphs. Reading it back needs nothing:
// ProseMirror parses <thead> rows and wraps cell text in a paragraph again.
export function normalizeBody(html) {
  if (!html.includes("<table") && !html.includes("<p></p>")) return html
  const template = document.createElement("template")
  template.innerHTML = html
  for (const paragraph of template.content.querySelectorAll("p:empty")) {
    if (!paragraph.attributes.length && paragraph.parentNode === template.content) paragraph.remove()
  }
  for (const table of template.content.querySelectorAll("table")) {
    for (const node of [table, ...table.querySelectorAll("thead, tbody, tr, th, td")]) {
      for (const name of [...node.getAttributeNames()]) node.removeAttribute(name)
    }
    for (const cell of table.querySelectorAll("th, td")) {
      if (cell.children.length === 1 && cell.firstElementChild.tagName === "P" && cell.childNodes.length === 1) {
        cell.firstElementChild.replaceWith(...cell.firstElementChild.childNodes)
      }
    }
    const first = table.querySelector(":scope > tbody > tr:first-child")
    if (first && !table.querySelector(":scope > thead") && [...first.children].every((cell) => cell.tagName === "TH")) {
      const thead = document.createElement("thead")
      thead.append(first)
      table.prepend(thead)
    }
  }
  return template.innerHTML
}

// django-prose-editor copies the editor's HTML into the textarea on every change; put
// it in its stored form right after it does.
document.addEventListener("prose-editor:ready", (event) => {
  const { editor, textarea } = event.detail
  const sync = () => {
    if (textarea.value) textarea.value = normalizeBody(textarea.value)
  }
  editor.on("update", sync)
  textarea.form?.addEventListener("submit", sync)
})
