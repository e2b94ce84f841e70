<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Actions</name>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>&amp;Mask</source>
        <translation>&amp;Maske</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Ausführen</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>Open Images…</source>
        <translation>Bilder öffnen…</translation>
    </message>
    <message>
        <source>Paste Image or Link</source>
        <translation>Bild oder Link einfügen</translation>
    </message>
    <message>
        <source>Save As…</source>
        <translation>Speichern unter…</translation>
    </message>
    <message>
        <source>Copy Image</source>
        <translation>Bild kopieren</translation>
    </message>
    <message>
        <source>Show in Folder</source>
        <translation>Im Ordner zeigen</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Einstellungen…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>Remove Selected Inputs</source>
        <translation>Ausgewählte Eingaben entfernen</translation>
    </message>
    <message>
        <source>Use as Input</source>
        <translation>Als Eingabe verwenden</translation>
    </message>
    <message>
        <source>Show Mask</source>
        <translation>Maske zeigen</translation>
    </message>
    <message>
        <source>Show Results</source>
        <translation>Ergebnisse zeigen</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>Vergleichen</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>Run Edit</source>
        <translation>Bearbeitung starten</translation>
    </message>
    <message>
        <source>Cancel Run</source>
        <translation>Lauf abbrechen</translation>
    </message>
    <message>
        <source>Batch…</source>
        <translation>Stapel…</translation>
    </message>
    <message>
        <source>Refresh Models</source>
        <translation>Modelle aktualisieren</translation>
    </message>
    <message>
        <source>Open Log Folder</source>
        <translation>Protokollordner öffnen</translation>
    </message>
    <message>
        <source>About Retouch</source>
        <translation>Über Retouch</translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <source>Dismiss</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>BatchPanel</name>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.webp *.gif *.bmp *.tif *.tiff);;All files (*)</source>
        <translation>Bilder (*.png *.jpg *.jpeg *.webp *.gif *.bmp *.tif *.tiff);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Wartet</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>Wird gesendet</translation>
    </message>
    <message>
        <source>Waiting for the model</source>
        <translation>Wartet auf das Modell</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>No mask: edit whole images</source>
        <translation>Keine Maske: ganze Bilder bearbeiten</translation>
    </message>
    <message>
        <source>One mask for all images</source>
        <translation>Eine Maske für alle Bilder</translation>
    </message>
    <message>
        <source>A mask per image, matched by name</source>
        <translation>Eine Maske je Bild, nach Namen zugeordnet</translation>
    </message>
    <message>
        <source>Batch Edit</source>
        <translation>Stapelbearbeitung</translation>
    </message>
    <message>
        <source>Drop a folder or image files here, or add them with the buttons.</source>
        <translation>Ziehen Sie einen Ordner oder Bilddateien hierher oder fügen Sie sie mit den Schaltflächen hinzu.</translation>
    </message>
    <message>
        <source>Add Files…</source>
        <translation>Dateien hinzufügen…</translation>
    </message>
    <message>
        <source>Add Folder…</source>
        <translation>Ordner hinzufügen…</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>Bild</translation>
    </message>
    <message>
        <source>Mask</source>
        <translation>Maske</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Reason / results</source>
        <translation>Grund / Ergebnisse</translation>
    </message>
    <message>
        <source>What should change in every image</source>
        <translation>Was sich in jedem Bild ändern soll</translation>
    </message>
    <message>
        <source>Reference images sent with every edit</source>
        <translation>Referenzbilder, die mit jeder Bearbeitung gesendet werden</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>Hinzufügen…</translation>
    </message>
    <message>
        <source>Per image: photo.mask.png or photo_mask.png beside photo.jpg, or photo.png in the masks folder. An image without its mask fails before anything is sent.</source>
        <translation>Je Bild: foto.mask.png oder foto_mask.png neben foto.jpg, oder foto.png im Maskenordner. Ein Bild ohne seine Maske scheitert, bevor etwas gesendet wird.</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>How many images are edited at the same time</source>
        <translation>Wie viele Bilder gleichzeitig bearbeitet werden</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Anweisung</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>References</source>
        <translation>Referenzen</translation>
    </message>
    <message>
        <source>Masks</source>
        <translation>Masken</translation>
    </message>
    <message>
        <source>At a time</source>
        <translation>Gleichzeitig</translation>
    </message>
    <message>
        <source>Save to</source>
        <translation>Speichern in</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Retry Failed</source>
        <translation>Fehlgeschlagene wiederholen</translation>
    </message>
    <message>
        <source>Run the selected failed images again (all failed if none)</source>
        <translation>Die ausgewählten fehlgeschlagenen Bilder erneut bearbeiten (ohne Auswahl: alle fehlgeschlagenen)</translation>
    </message>
    <message>
        <source>Open Output Folder</source>
        <translation>Ausgabeordner öffnen</translation>
    </message>
    <message>
        <source>No images found there.</source>
        <translation>Dort wurden keine Bilder gefunden.</translation>
    </message>
    <message>
        <source>The mask file used for every image</source>
        <translation>Die Maskendatei für jedes Bild</translation>
    </message>
    <message>
        <source>Optional masks folder (masks beside the images are found too)</source>
        <translation>Optionaler Maskenordner (Masken neben den Bildern werden auch gefunden)</translation>
    </message>
    <message>
        <source>none found</source>
        <translation>keine gefunden</translation>
    </message>
    <message>
        <source>No mask found: this image will fail unsent.</source>
        <translation>Keine Maske gefunden: Dieses Bild scheitert, ohne gesendet zu werden.</translation>
    </message>
    <message>
        <source>Add Images</source>
        <translation>Bilder hinzufügen</translation>
    </message>
    <message>
        <source>Add a Folder of Images</source>
        <translation>Einen Ordner mit Bildern hinzufügen</translation>
    </message>
    <message>
        <source>Reference Images</source>
        <translation>Referenzbilder</translation>
    </message>
    <message>
        <source>Masks Folder</source>
        <translation>Maskenordner</translation>
    </message>
    <message>
        <source>Save Results To</source>
        <translation>Ergebnisse speichern in</translation>
    </message>
    <message>
        <source>Set your API key in Settings first.</source>
        <translation>Legen Sie zuerst in den Einstellungen Ihren API-Schlüssel fest.</translation>
    </message>
    <message numerus="yes">
        <source>Edit %n image(s) with {model}, {at_once} at a time?</source>
        <translation>
            <numerusform>%n Bild mit {model} bearbeiten, {at_once} gleichzeitig?</numerusform>
            <numerusform>%n Bilder mit {model} bearbeiten, {at_once} gleichzeitig?</numerusform>
        </translation>
    </message>
    <message>
        <source>Estimated cost: {cost}</source>
        <translation>Geschätzte Kosten: {cost}</translation>
    </message>
    <message>
        <source>Results go to {folder}</source>
        <translation>Die Ergebnisse kommen nach {folder}</translation>
    </message>
    <message>
        <source>Start Batch</source>
        <translation>Stapel starten</translation>
    </message>
    <message>
        <source>Retry This Image</source>
        <translation>Dieses Bild wiederholen</translation>
    </message>
    <message>
        <source>Show Results</source>
        <translation>Ergebnisse zeigen</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>{done}/{total} done</source>
        <translation>{done}/{total} fertig</translation>
    </message>
    <message>
        <source>{n} failed</source>
        <translation>{n} fehlgeschlagen</translation>
    </message>
    <message>
        <source>{n} cancelled</source>
        <translation>{n} abgebrochen</translation>
    </message>
    <message>
        <source>paused: images in progress finish, no new ones start</source>
        <translation>angehalten: Laufende Bilder werden fertig, neue beginnen nicht</translation>
    </message>
    <message numerus="yes">
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n Bild</numerusform>
            <numerusform>%n Bilder</numerusform>
        </translation>
    </message>
    <message>
        <source>Estimated: {cost}</source>
        <translation>Geschätzt: {cost}</translation>
    </message>
    <message>
        <source>Batch Running</source>
        <translation>Stapel läuft</translation>
    </message>
    <message>
        <source>A batch is still running. Cancel it? Images already sent may still be billed.</source>
        <translation>Ein Stapel läuft noch. Abbrechen? Bereits gesendete Bilder können noch berechnet werden.</translation>
    </message>
</context>
<context>
    <name>BrushOptionsBar</name>
    <message>
        <source>Brush and overlay options</source>
        <translation>Pinsel- und Überlagerungsoptionen</translation>
    </message>
    <message>
        <source>Brush size in image pixels ([ and ])</source>
        <translation>Pinselgröße in Bildpixeln ([ und ])</translation>
    </message>
    <message>
        <source>Brush size</source>
        <translation>Pinselgröße</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Hardness: 100 % = crisp edge, 0 % = fully feathered</source>
        <translation>Härte: 100 % = scharfe Kante, 0 % = ganz weich</translation>
    </message>
    <message>
        <source>Hardness</source>
        <translation>Härte</translation>
    </message>
    <message>
        <source>Mask overlay colour…</source>
        <translation>Farbe der Maskenüberlagerung…</translation>
    </message>
    <message>
        <source>Mask overlay colour</source>
        <translation>Farbe der Maskenüberlagerung</translation>
    </message>
    <message>
        <source>Mask overlay opacity</source>
        <translation>Deckkraft der Maskenüberlagerung</translation>
    </message>
    <message>
        <source>Overlay</source>
        <translation>Überlagerung</translation>
    </message>
</context>
<context>
    <name>CanvasBase</name>
    <message>
        <source>Clear mask</source>
        <translation>Maske leeren</translation>
    </message>
    <message>
        <source>Fill mask</source>
        <translation>Maske füllen</translation>
    </message>
    <message>
        <source>Invert mask</source>
        <translation>Maske umkehren</translation>
    </message>
    <message>
        <source>Open an image before setting a mask.</source>
        <translation>Öffnen Sie ein Bild, bevor Sie eine Maske setzen.</translation>
    </message>
    <message>
        <source>Restore mask</source>
        <translation>Maske wiederherstellen</translation>
    </message>
    <message>
        <source>Import mask</source>
        <translation>Maske importieren</translation>
    </message>
    <message>
        <source>There is no image, so there is no mask to save.</source>
        <translation>Es gibt kein Bild, also auch keine Maske zum Speichern.</translation>
    </message>
    <message>
        <source>Erase stroke</source>
        <translation>Radierstrich</translation>
    </message>
    <message>
        <source>Brush stroke</source>
        <translation>Pinselstrich</translation>
    </message>
</context>
<context>
    <name>CanvasPainting</name>
    <message>
        <source>Original</source>
        <translation>Original</translation>
    </message>
</context>
<context>
    <name>CanvasPanel</name>
    <message>
        <source>The mask is {mw}×{mh} but the image is {iw}×{ih}: their aspect ratios differ by more than 1 %, so the mask would not line up.</source>
        <translation>Die Maske ist {mw}×{mh}, das Bild aber {iw}×{ih}: Ihre Seitenverhältnisse weichen um mehr als 1 % ab, die Maske würde nicht passen.</translation>
    </message>
    <message>
        <source>Mask file not found: {path}</source>
        <translation>Maskendatei nicht gefunden: {path}</translation>
    </message>
    <message>
        <source>Could not read mask file {name}: {error}</source>
        <translation>Die Maskendatei {name} konnte nicht gelesen werden: {error}</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.webp *.tif *.tiff *.gif);;All files (*)</source>
        <translation>Bilder (*.png *.jpg *.jpeg *.bmp *.webp *.tif *.tiff *.gif);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>whole image</source>
        <translation>ganzes Bild</translation>
    </message>
    <message>
        <source>custom region</source>
        <translation>eigener Bereich</translation>
    </message>
    <message>
        <source>Sent: {w}×{h} → {size}</source>
        <translation>Gesendet: {w}×{h} → {size}</translation>
    </message>
    <message>
        <source>Mask cleared: the new image has a different aspect ratio.</source>
        <translation>Maske geleert: Das neue Bild hat ein anderes Seitenverhältnis.</translation>
    </message>
    <message>
        <source>Keep the mask?</source>
        <translation>Maske behalten?</translation>
    </message>
    <message>
        <source>The new image has the same shape. Keep the painted mask?</source>
        <translation>Das neue Bild hat dieselbe Form. Die gemalte Maske behalten?</translation>
    </message>
    <message>
        <source>The mask is scaled to the new image&apos;s size.</source>
        <translation>Die Maske wird auf die Größe des neuen Bildes skaliert.</translation>
    </message>
    <message>
        <source>Keep mask</source>
        <translation>Maske behalten</translation>
    </message>
    <message>
        <source>Clear mask</source>
        <translation>Maske leeren</translation>
    </message>
    <message>
        <source>Don&apos;t ask again (Settings can ask again)</source>
        <translation>Nicht mehr fragen (in den Einstellungen wieder einschaltbar)</translation>
    </message>
    <message>
        <source>Import mask</source>
        <translation>Maske importieren</translation>
    </message>
    <message>
        <source>Export mask</source>
        <translation>Maske exportieren</translation>
    </message>
    <message>
        <source>PNG (*.png)</source>
        <translation>PNG (*.png)</translation>
    </message>
    <message>
        <source>Mask overlay colour</source>
        <translation>Farbe der Maskenüberlagerung</translation>
    </message>
    <message>
        <source>Brush</source>
        <translation>Pinsel</translation>
    </message>
    <message>
        <source>Eraser</source>
        <translation>Radierer</translation>
    </message>
    <message>
        <source>Rectangle</source>
        <translation>Rechteck</translation>
    </message>
    <message>
        <source>Lasso</source>
        <translation>Lasso</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Bereich</translation>
    </message>
    <message>
        <source>Rectangle (R): drag to fill, or place it with the arrow keys and press Enter; hold Alt, or pick the Eraser first, to erase</source>
        <translation>Rechteck (R): ziehen zum Füllen, oder mit den Pfeiltasten setzen und Eingabe drücken; Alt halten oder zuerst den Radierer wählen zum Radieren</translation>
    </message>
    <message>
        <source>Lasso (L): draw a freehand outline to fill; hold Alt, or pick the Eraser first, to erase</source>
        <translation>Lasso (L): eine Freihandkontur zum Füllen zeichnen; Alt halten oder zuerst den Radierer wählen zum Radieren</translation>
    </message>
    <message>
        <source>Region (G): drag the part of the image to send to the model; only that part can change</source>
        <translation>Bereich (G): den Teil des Bildes aufziehen, der an das Modell geht; nur dieser Teil kann sich ändern</translation>
    </message>
    <message>
        <source>Whole image</source>
        <translation>Ganzes Bild</translation>
    </message>
    <message>
        <source>Whole image: send the whole image, not the area around the mask</source>
        <translation>Ganzes Bild: das ganze Bild senden, nicht den Bereich um die Maske</translation>
    </message>
    <message>
        <source>Auto region</source>
        <translation>Automatischer Bereich</translation>
    </message>
    <message>
        <source>Auto region: send the mask with context around it (the default)</source>
        <translation>Automatischer Bereich: die Maske mit Umgebung senden (Standard)</translation>
    </message>
    <message>
        <source>Smaller brush</source>
        <translation>Kleinerer Pinsel</translation>
    </message>
    <message>
        <source>Larger brush</source>
        <translation>Größerer Pinsel</translation>
    </message>
    <message>
        <source>Fill all</source>
        <translation>Alles füllen</translation>
    </message>
    <message>
        <source>Invert mask</source>
        <translation>Maske umkehren</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Wiederholen</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>Vergrößern</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>Verkleinern</translation>
    </message>
    <message>
        <source>Fit to window</source>
        <translation>An Fenster anpassen</translation>
    </message>
    <message>
        <source>Actual size (100 %)</source>
        <translation>Originalgröße (100 %)</translation>
    </message>
    <message>
        <source>Actual size</source>
        <translation>Originalgröße</translation>
    </message>
    <message>
        <source>Show mask only</source>
        <translation>Nur die Maske zeigen</translation>
    </message>
    <message>
        <source>Original</source>
        <translation>Original</translation>
    </message>
    <message>
        <source>Show the image without the mask (hold \)</source>
        <translation>Das Bild ohne Maske zeigen (\ halten)</translation>
    </message>
    <message>
        <source>Mask only</source>
        <translation>Nur Maske</translation>
    </message>
    <message>
        <source>Import mask…</source>
        <translation>Maske importieren…</translation>
    </message>
    <message>
        <source>Export mask…</source>
        <translation>Maske exportieren…</translation>
    </message>
    <message>
        <source>Mask tools</source>
        <translation>Maskenwerkzeuge</translation>
    </message>
    <message>
        <source>%1 erases; hold Alt to fill</source>
        <translation>%1 radiert; Alt halten zum Füllen</translation>
    </message>
    <message>
        <source>%1 fills; hold Alt to erase</source>
        <translation>%1 füllt; Alt halten zum Radieren</translation>
    </message>
    <message>
        <source>Can&apos;t import mask</source>
        <translation>Maske kann nicht importiert werden</translation>
    </message>
    <message>
        <source>Mask imported from %1</source>
        <translation>Maske aus %1 importiert</translation>
    </message>
    <message>
        <source>Can&apos;t export mask</source>
        <translation>Maske kann nicht exportiert werden</translation>
    </message>
    <message>
        <source>Mask saved to %1</source>
        <translation>Maske in %1 gespeichert</translation>
    </message>
</context>
<context>
    <name>CanvasShapes</name>
    <message>
        <source>Rectangle erase</source>
        <translation>Rechteck radieren</translation>
    </message>
    <message>
        <source>Rectangle fill</source>
        <translation>Rechteck füllen</translation>
    </message>
    <message>
        <source>Lasso erase</source>
        <translation>Lasso radieren</translation>
    </message>
    <message>
        <source>Lasso fill</source>
        <translation>Lasso füllen</translation>
    </message>
</context>
<context>
    <name>ComparePage</name>
    <message>
        <source>Composited</source>
        <translation>Eingesetzt</translation>
    </message>
    <message>
        <source>The photo against each result placed into it</source>
        <translation>Das Foto neben jedem eingesetzten Ergebnis</translation>
    </message>
    <message>
        <source>Model output</source>
        <translation>Modellausgabe</translation>
    </message>
    <message>
        <source>The region that was sent against the model&apos;s own pictures</source>
        <translation>Der gesendete Bereich neben den eigenen Bildern des Modells</translation>
    </message>
    <message>
        <source>Wipe</source>
        <translation>Wischen</translation>
    </message>
    <message>
        <source>Side by side</source>
        <translation>Nebeneinander</translation>
    </message>
    <message>
        <source>The before/after wipe, or all side by side</source>
        <translation>Vorher/Nachher wischen oder alle nebeneinander</translation>
    </message>
    <message>
        <source>Wheel to zoom all · drag to pan · double-click to fit</source>
        <translation>Mausrad zoomt alle · Ziehen verschiebt · Doppelklick passt ein</translation>
    </message>
    <message>
        <source>Drag the divider · 1–9 pick the result · wheel to zoom · drag to pan</source>
        <translation>Trennlinie ziehen · 1–9 wählt das Ergebnis · Mausrad zoomt · Ziehen verschiebt</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>Vorher</translation>
    </message>
    <message numerus="yes">
        <source>Result %n</source>
        <translation>
            <numerusform>Ergebnis %n</numerusform>
            <numerusform>Ergebnis %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <source>Before</source>
        <translation>Vorher</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Nachher</translation>
    </message>
    <message numerus="yes">
        <source>Result %n</source>
        <translation>
            <numerusform>Ergebnis %n</numerusform>
            <numerusform>Ergebnis %n</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing to compare yet</source>
        <translation>Noch nichts zu vergleichen</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <source>Get your API key from your Oxen account: &lt;a href=&quot;https://www.oxen.ai/settings/profile&quot;&gt;oxen.ai → Settings → API key&lt;/a&gt;.</source>
        <translation>Ihren API-Schlüssel finden Sie in Ihrem Oxen-Konto: &lt;a href=&quot;https://www.oxen.ai/settings/profile&quot;&gt;oxen.ai → Einstellungen → API-Schlüssel&lt;/a&gt;.</translation>
    </message>
    <message>
        <source>no keyring service is available on this system</source>
        <translation>auf diesem System gibt es keinen Schlüsselbund-Dienst</translation>
    </message>
    <message>
        <source>the only keyring found stores secrets as plain text</source>
        <translation>der einzige gefundene Schlüsselbund speichert Geheimnisse als Klartext</translation>
    </message>
    <message>
        <source>no keyring is available</source>
        <translation>kein Schlüsselbund ist verfügbar</translation>
    </message>
    <message>
        <source>the keyring refused it (%1)</source>
        <translation>der Schlüsselbund hat ihn abgelehnt (%1)</translation>
    </message>
    <message>
        <source>The key is stored in your system keyring, never in a file.</source>
        <translation>Der Schlüssel wird im Schlüsselbund Ihres Systems gespeichert, nie in einer Datei.</translation>
    </message>
    <message>
        <source>&lt;b&gt;No secure keyring is available&lt;/b&gt; (%1). The key will be kept in memory for this session only; set OXEN_API_KEY to avoid typing it each time.</source>
        <translation>&lt;b&gt;Kein sicherer Schlüsselbund verfügbar&lt;/b&gt; (%1). Der Schlüssel bleibt nur für diese Sitzung im Speicher; setzen Sie OXEN_API_KEY, um ihn nicht jedes Mal einzugeben.</translation>
    </message>
    <message>
        <source>Your API key is kept for this session only: your system keyring did not take it. Retry to store it there.</source>
        <translation>Ihr API-Schlüssel wird nur für diese Sitzung aufbewahrt: Der Schlüsselbund des Systems hat ihn nicht angenommen. Versuchen Sie es erneut, um ihn dort zu speichern.</translation>
    </message>
    <message>
        <source>Your API key is stored in your system keyring.</source>
        <translation>Ihr API-Schlüssel ist im Schlüsselbund des Systems gespeichert.</translation>
    </message>
    <message>
        <source>Your API key is kept for this session only: it is not in your system keyring because %1. You will be asked for it again next time.</source>
        <translation>Ihr API-Schlüssel wird nur für diese Sitzung aufbewahrt: Er ist nicht im Schlüsselbund des Systems, weil %1. Beim nächsten Start werden Sie erneut danach gefragt.</translation>
    </message>
    <message>
        <source>Connected: the hub offers 1 model.</source>
        <translation>Verbunden: Der Hub bietet 1 Modell an.</translation>
    </message>
    <message>
        <source>Connected: the hub offers {n} models.</source>
        <translation>Verbunden: Der Hub bietet {n} Modelle an.</translation>
    </message>
    <message>
        <source>The test failed unexpectedly ({kind}).</source>
        <translation>Der Test schlug unerwartet fehl ({kind}).</translation>
    </message>
</context>
<context>
    <name>FitBar</name>
    <message>
        <source>More</source>
        <translation>Mehr</translation>
    </message>
    <message>
        <source>More tools that do not fit here</source>
        <translation>Weitere Werkzeuge, die hier keinen Platz haben</translation>
    </message>
    <message>
        <source>More tools</source>
        <translation>Weitere Werkzeuge</translation>
    </message>
</context>
<context>
    <name>Focus</name>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Partial</source>
        <translation>Teilweise</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Interrupted</source>
        <translation>Unterbrochen</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>On the hub</source>
        <translation>Auf dem Hub</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>Beliebige Zeit</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <source>Today %1</source>
        <translation>Heute %1</translation>
    </message>
    <message>
        <source>Yesterday %1</source>
        <translation>Gestern %1</translation>
    </message>
    <message>
        <source>Demo</source>
        <translation>Demo</translation>
    </message>
    <message>
        <source>(no prompt)</source>
        <translation>(keine Anweisung)</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>Importieren…</translation>
    </message>
    <message>
        <source>Search prompts…</source>
        <translation>Anweisungen durchsuchen…</translation>
    </message>
    <message>
        <source>Search prompts</source>
        <translation>Anweisungen durchsuchen</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <source>★ Starred</source>
        <translation>★ Markiert</translation>
    </message>
    <message>
        <source>Show starred runs only</source>
        <translation>Nur markierte Läufe zeigen</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>Läufe</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <source>Restore this run&apos;s inputs, mask and prompt in the editor</source>
        <translation>Eingaben, Maske und Anweisung dieses Laufs im Editor wiederherstellen</translation>
    </message>
    <message>
        <source>Re-run</source>
        <translation>Erneut ausführen</translation>
    </message>
    <message>
        <source>Run the same edit again (costs money)</source>
        <translation>Dieselbe Bearbeitung noch einmal ausführen (kostet Geld)</translation>
    </message>
    <message>
        <source>★ Star</source>
        <translation>★ Markieren</translation>
    </message>
    <message>
        <source>Star or unstar</source>
        <translation>Markieren oder Markierung aufheben</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exportieren…</translation>
    </message>
    <message>
        <source>Save this run with its images as a zip</source>
        <translation>Diesen Lauf mit seinen Bildern als ZIP speichern</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Löschen…</translation>
    </message>
    <message>
        <source>Delete the selected runs and their images</source>
        <translation>Die ausgewählten Läufe und ihre Bilder löschen</translation>
    </message>
    <message>
        <source>Add a run from a Retouch zip</source>
        <translation>Einen Lauf aus einem Retouch-ZIP hinzufügen</translation>
    </message>
    <message>
        <source>All models</source>
        <translation>Alle Modelle</translation>
    </message>
    <message>
        <source>No runs match these filters.</source>
        <translation>Keine Läufe passen zu diesen Filtern.</translation>
    </message>
    <message>
        <source>No runs yet.
Your edits will appear here.</source>
        <translation>Noch keine Läufe.
Ihre Bearbeitungen erscheinen hier.</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s)</source>
        <translation>
            <numerusform>%n Lauf</numerusform>
            <numerusform>%n Läufe</numerusform>
        </translation>
    </message>
    <message>
        <source>read-only (made by a newer Retouch)</source>
        <translation>schreibgeschützt (von einem neueren Retouch angelegt)</translation>
    </message>
    <message>
        <source>☆ Unstar</source>
        <translation>☆ Markierung aufheben</translation>
    </message>
    <message numerus="yes">
        <source>Delete these %n run(s) and their images?</source>
        <translation>
            <numerusform>Diesen %n Lauf und seine Bilder löschen?</numerusform>
            <numerusform>Diese %n Läufe und ihre Bilder löschen?</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete this run and its images?</source>
        <translation>Diesen Lauf und seine Bilder löschen?</translation>
    </message>
    <message>
        <source>Delete runs</source>
        <translation>Läufe löschen</translation>
    </message>
    <message>
        <source>Delete run</source>
        <translation>Lauf löschen</translation>
    </message>
    <message>
        <source>This frees %1 of disk space and cannot be undone.</source>
        <translation>Das gibt %1 Speicherplatz frei und kann nicht rückgängig gemacht werden.</translation>
    </message>
    <message>
        <source>Export run as zip</source>
        <translation>Lauf als ZIP exportieren</translation>
    </message>
    <message>
        <source>Zip archives (*.zip)</source>
        <translation>ZIP-Archive (*.zip)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
    <message>
        <source>Could not export the run:</source>
        <translation>Der Lauf konnte nicht exportiert werden:</translation>
    </message>
    <message>
        <source>Import run</source>
        <translation>Lauf importieren</translation>
    </message>
    <message>
        <source>Import failed</source>
        <translation>Import fehlgeschlagen</translation>
    </message>
    <message>
        <source>Could not import %1:</source>
        <translation>%1 konnte nicht importiert werden:</translation>
    </message>
</context>
<context>
    <name>InputTray</name>
    <message>
        <source>Inputs</source>
        <translation>Eingaben</translation>
    </message>
    <message>
        <source>Add images… (Ctrl+O)</source>
        <translation>Bilder hinzufügen… (Strg+O)</translation>
    </message>
    <message>
        <source>Add images</source>
        <translation>Bilder hinzufügen</translation>
    </message>
    <message>
        <source>Remove the selected images (Delete)</source>
        <translation>Die ausgewählten Bilder entfernen (Entf)</translation>
    </message>
    <message>
        <source>Remove the selected images</source>
        <translation>Die ausgewählten Bilder entfernen</translation>
    </message>
    <message>
        <source>Nothing usable was dropped: drop image files or links.</source>
        <translation>Nichts Verwendbares abgelegt: Legen Sie Bilddateien oder Links ab.</translation>
    </message>
    <message>
        <source>Sent as a link: the model server downloads it itself.</source>
        <translation>Als Link gesendet: Der Modellserver lädt es selbst herunter.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <source>Note: %1</source>
        <translation>Hinweis: %1</translation>
    </message>
    <message>
        <source>No preview: {message}.
Sent as a link.</source>
        <translation>Keine Vorschau: {message}.
Als Link gesendet.</translation>
    </message>
    <message>
        <source>No preview of {name}: {message}. It is still sent as a link; the model server must be able to download it.</source>
        <translation>Keine Vorschau von {name}: {message}. Es wird trotzdem als Link gesendet; der Modellserver muss es herunterladen können.</translation>
    </message>
    <message>
        <source>Editing</source>
        <translation>Wird bearbeitet</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Referenz</translation>
    </message>
</context>
<context>
    <name>KeyOutcome</name>
    <message>
        <source>Retry</source>
        <translation>Erneut versuchen</translation>
    </message>
    <message>
        <source>Try to store the key in your system keyring again</source>
        <translation>Den Schlüssel erneut im Schlüsselbund des Systems speichern</translation>
    </message>
</context>
<context>
    <name>LineageStrip</name>
    <message>
        <source>Lineage:</source>
        <translation>Herkunft:</translation>
    </message>
    <message>
        <source>Original</source>
        <translation>Original</translation>
    </message>
    <message>
        <source>This edit</source>
        <translation>Diese Bearbeitung</translation>
    </message>
    <message>
        <source>Edit {n}</source>
        <translation>Bearbeitung {n}</translation>
    </message>
    <message>
        <source>Edited again</source>
        <translation>Erneut bearbeitet</translation>
    </message>
    <message>
        <source>{prompt}
Open this step in the editor</source>
        <translation>{prompt}
Diesen Schritt im Editor öffnen</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.webp *.gif *.bmp *.tif *.tiff);;All files (*)</source>
        <translation>Bilder (*.png *.jpg *.jpeg *.webp *.gif *.bmp *.tif *.tiff);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Set API Key…</source>
        <translation>API-Schlüssel festlegen…</translation>
    </message>
    <message>
        <source>Open Settings…</source>
        <translation>Einstellungen öffnen…</translation>
    </message>
    <message>
        <source>Run Again</source>
        <translation>Erneut ausführen</translation>
    </message>
    <message>
        <source>Collect Results</source>
        <translation>Ergebnisse abholen</translation>
    </message>
    <message>
        <source>Start a Fresh History</source>
        <translation>Neuen Verlauf beginnen</translation>
    </message>
    <message>
        <source>Save to Another Folder…</source>
        <translation>In einem anderen Ordner speichern…</translation>
    </message>
    <message>
        <source>Retouch — Demo</source>
        <translation>Retouch — Demo</translation>
    </message>
    <message>
        <source>demo hub</source>
        <translation>Demo-Hub</translation>
    </message>
    <message>
        <source>Oxen hub</source>
        <translation>Oxen-Hub</translation>
    </message>
    <message numerus="yes">
        <source>%n input(s)</source>
        <translation>
            <numerusform>%n Eingabe</numerusform>
            <numerusform>%n Eingaben</numerusform>
        </translation>
    </message>
    <message>
        <source>Open Images</source>
        <translation>Bilder öffnen</translation>
    </message>
    <message>
        <source>About Retouch</source>
        <translation>Über Retouch</translation>
    </message>
    <message>
        <source>Quick AI image edits with GPT Image 2 Edit on the Oxen.ai hub.</source>
        <translation>Schnelle KI-Bildbearbeitung mit GPT Image 2 Edit auf dem Oxen.ai-Hub.</translation>
    </message>
</context>
<context>
    <name>MaskCanvas</name>
    <message>
        <source>Drop an image here or press Ctrl+O</source>
        <translation>Bild hierher ziehen oder Strg+O drücken</translation>
    </message>
    <message>
        <source>then paint over what should change</source>
        <translation>dann übermalen, was sich ändern soll</translation>
    </message>
</context>
<context>
    <name>ModelRefresh</name>
    <message>
        <source>The model list comes from the hub: set your API key.</source>
        <translation>Die Modellliste kommt vom Hub: Legen Sie Ihren API-Schlüssel fest.</translation>
    </message>
    <message>
        <source>Refreshing the model list…</source>
        <translation>Die Modellliste wird aktualisiert…</translation>
    </message>
    <message numerus="yes">
        <source>Model list updated: %n edit model(s).</source>
        <translation>
            <numerusform>Modellliste aktualisiert: %n Bearbeitungsmodell.</numerusform>
            <numerusform>Modellliste aktualisiert: %n Bearbeitungsmodelle.</numerusform>
        </translation>
    </message>
    <message>
        <source>The model list was not refreshed.</source>
        <translation>Die Modellliste wurde nicht aktualisiert.</translation>
    </message>
</context>
<context>
    <name>Pages</name>
    <message>
        <source>Mask</source>
        <translation>Maske</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Ergebnisse</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>Vergleichen</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
</context>
<context>
    <name>ParamForm</name>
    <message>
        <source>Auto: the smallest size that keeps the edited region&apos;s detail, in the shape nearest to it, at the standard price unless the high-resolution price is allowed</source>
        <translation>Automatisch: die kleinste Größe, die die Details des bearbeiteten Bereichs erhält, in der ähnlichsten Form, zum Standardpreis, sofern der Hochauflösungspreis nicht erlaubt ist</translation>
    </message>
    <message>
        <source>Number of images</source>
        <translation>Anzahl der Bilder</translation>
    </message>
    <message>
        <source>Output format</source>
        <translation>Ausgabeformat</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>Auflösung</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>Qualität</translation>
    </message>
    <message>
        <source>Aspect ratio</source>
        <translation>Seitenverhältnis</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Startwert</translation>
    </message>
    <message>
        <source>Background</source>
        <translation>Hintergrund</translation>
    </message>
    <message>
        <source>Compression</source>
        <translation>Kompression</translation>
    </message>
    <message>
        <source>Moderation</source>
        <translation>Moderation</translation>
    </message>
    <message>
        <source>Input fidelity</source>
        <translation>Treue zur Eingabe</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>Niedrig</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>Mittel</translation>
    </message>
    <message>
        <source>High</source>
        <translation>Hoch</translation>
    </message>
    <message>
        <source>Standard</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source>Transparent</source>
        <translation>Transparent</translation>
    </message>
    <message>
        <source>Opaque</source>
        <translation>Deckend</translation>
    </message>
</context>
<context>
    <name>PlacementBox</name>
    <message>
        <source>Auto</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <source>Softness of the edge where the edit meets the photo, in photo pixels. Auto: about 1 % of the region&apos;s size.</source>
        <translation>Weichheit der Kante, an der die Bearbeitung auf das Foto trifft, in Fotopixeln. Automatisch: etwa 1 % der Bereichsgröße.</translation>
    </message>
    <message>
        <source>Match colours</source>
        <translation>Farben angleichen</translation>
    </message>
    <message>
        <source>Match the edit&apos;s colour and brightness to the photo just around it, so the model&apos;s slight colour drift leaves no visible edge</source>
        <translation>Farbe und Helligkeit der Bearbeitung an das Foto direkt daneben angleichen, damit die leichte Farbabweichung des Modells keine sichtbare Kante hinterlässt</translation>
    </message>
    <message>
        <source>Resample to original size</source>
        <translation>Auf Originalgröße umrechnen</translation>
    </message>
    <message>
        <source>Whole-image edits without a mask come back at the model&apos;s resolution. This resamples them to the photo&apos;s size: plain resampling, not AI upscaling.</source>
        <translation>Bearbeitungen des ganzen Bildes ohne Maske kommen in der Auflösung des Modells zurück. Dies rechnet sie auf die Fotogröße um: einfaches Umrechnen, keine KI-Hochskalierung.</translation>
    </message>
    <message>
        <source>Allow high-res price</source>
        <translation>Hochauflösungspreis erlauben</translation>
    </message>
    <message>
        <source>Let Auto resolution choose sizes billed at the high-resolution tier (2560×1440 and up). Remembered.</source>
        <translation>Die automatische Auflösung darf Größen zum Hochauflösungspreis wählen (ab 2560×1440). Wird gemerkt.</translation>
    </message>
    <message>
        <source>Composited photo</source>
        <translation>Foto mit eingesetzter Bearbeitung</translation>
    </message>
    <message>
        <source>Model&apos;s picture</source>
        <translation>Bild des Modells</translation>
    </message>
    <message>
        <source>The file saved: your photo at full size with the edit placed in, or the model&apos;s own picture as it came. History keeps both.</source>
        <translation>Die gespeicherte Datei: Ihr Foto in voller Größe mit eingesetzter Bearbeitung oder das Bild des Modells, wie es kam. Der Verlauf behält beide.</translation>
    </message>
    <message>
        <source>Feather</source>
        <translation>Weiche Kante</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Region: custom, {w}×{h} at {x},{y} (Shift+G: auto)</source>
        <translation>Bereich: eigener, {w}×{h} bei {x},{y} (Umschalt+G: automatisch)</translation>
    </message>
    <message>
        <source>Region: the whole image (W)</source>
        <translation>Bereich: das ganze Bild (W)</translation>
    </message>
    <message>
        <source>Region: auto, around the mask</source>
        <translation>Bereich: automatisch, um die Maske</translation>
    </message>
    <message>
        <source>Region: auto (no mask: the whole image)</source>
        <translation>Bereich: automatisch (keine Maske: das ganze Bild)</translation>
    </message>
    <message>
        <source>Cannot run: {e}</source>
        <translation>Kann nicht ausgeführt werden: {e}</translation>
    </message>
    <message>
        <source>the whole {w}×{h} image</source>
        <translation>das ganze Bild ({w}×{h})</translation>
    </message>
    <message>
        <source>{w}×{h} of the {pw}×{ph} image</source>
        <translation>{w}×{h} des {pw}×{ph}-Bildes</translation>
    </message>
    <message>
        <source>Sends {what} as {size}</source>
        <translation>Sendet {what} als {size}</translation>
    </message>
    <message>
        <source> (padded; the padding is removed)</source>
        <translation> (aufgefüllt; die Auffüllung wird entfernt)</translation>
    </message>
    <message>
        <source> · only high-resolution sizes fit</source>
        <translation> · nur hochauflösende Größen passen</translation>
    </message>
    <message>
        <source>Auto ({n} px)</source>
        <translation>Automatisch ({n} px)</translation>
    </message>
</context>
<context>
    <name>PresetsBar</name>
    <message>
        <source>Retouch presets (*.json);;All files (*)</source>
        <translation>Retouch-Vorlagen (*.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Presets: a saved prompt with its model and parameters</source>
        <translation>Vorlagen: eine gespeicherte Anweisung mit Modell und Parametern</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>Vorlage</translation>
    </message>
    <message>
        <source>Save as Preset…</source>
        <translation>Als Vorlage speichern…</translation>
    </message>
    <message>
        <source>Rename Preset…</source>
        <translation>Vorlage umbenennen…</translation>
    </message>
    <message>
        <source>Delete Preset</source>
        <translation>Vorlage löschen</translation>
    </message>
    <message>
        <source>Export Presets…</source>
        <translation>Vorlagen exportieren…</translation>
    </message>
    <message>
        <source>Preset actions</source>
        <translation>Vorlagenaktionen</translation>
    </message>
    <message>
        <source>Save, rename, delete, export or import presets</source>
        <translation>Vorlagen speichern, umbenennen, löschen, exportieren oder importieren</translation>
    </message>
    <message>
        <source>Presets…</source>
        <translation>Vorlagen…</translation>
    </message>
    <message>
        <source>No presets yet</source>
        <translation>Noch keine Vorlagen</translation>
    </message>
    <message>
        <source>Write a prompt first: a preset keeps the prompt.</source>
        <translation>Schreiben Sie zuerst eine Anweisung: Eine Vorlage speichert sie.</translation>
    </message>
    <message>
        <source>Save as Preset</source>
        <translation>Als Vorlage speichern</translation>
    </message>
    <message>
        <source>Name of the preset (an existing name is replaced):</source>
        <translation>Name der Vorlage (ein bestehender Name wird ersetzt):</translation>
    </message>
    <message>
        <source>The preset was not saved: {e}</source>
        <translation>Die Vorlage wurde nicht gespeichert: {e}</translation>
    </message>
    <message>
        <source>Saved the preset &apos;{name}&apos;.</source>
        <translation>Vorlage „{name}“ gespeichert.</translation>
    </message>
    <message>
        <source>Rename Preset</source>
        <translation>Vorlage umbenennen</translation>
    </message>
    <message>
        <source>New name:</source>
        <translation>Neuer Name:</translation>
    </message>
    <message>
        <source>The preset was not renamed: {e}</source>
        <translation>Die Vorlage wurde nicht umbenannt: {e}</translation>
    </message>
    <message>
        <source>Delete the preset &apos;{name}&apos;?</source>
        <translation>Die Vorlage „{name}“ löschen?</translation>
    </message>
    <message>
        <source>The preset was not deleted: {e}</source>
        <translation>Die Vorlage wurde nicht gelöscht: {e}</translation>
    </message>
    <message>
        <source>Export Presets</source>
        <translation>Vorlagen exportieren</translation>
    </message>
    <message>
        <source>The presets were not exported: {e}</source>
        <translation>Die Vorlagen wurden nicht exportiert: {e}</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n preset(s).</source>
        <translation>
            <numerusform>%n Vorlage exportiert.</numerusform>
            <numerusform>%n Vorlagen exportiert.</numerusform>
        </translation>
    </message>
    <message>
        <source>Import Presets</source>
        <translation>Vorlagen importieren</translation>
    </message>
    <message>
        <source>Importing %v of %m…</source>
        <translation>Importiere %v von %m…</translation>
    </message>
    <message numerus="yes">
        <source>%n preset(s) imported</source>
        <translation>
            <numerusform>%n Vorlage importiert</numerusform>
            <numerusform>%n Vorlagen importiert</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n renamed to avoid a clash</source>
        <translation>
            <numerusform>%n umbenannt, um Namensgleichheit zu vermeiden</numerusform>
            <numerusform>%n umbenannt, um Namensgleichheit zu vermeiden</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n already there</source>
        <translation>
            <numerusform>%n schon vorhanden</numerusform>
            <numerusform>%n schon vorhanden</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n not valid, left out</source>
        <translation>
            <numerusform>%n ungültig, ausgelassen</numerusform>
            <numerusform>%n ungültig, ausgelassen</numerusform>
        </translation>
    </message>
    <message>
        <source>No presets were imported: {e}</source>
        <translation>Es wurden keine Vorlagen importiert: {e}</translation>
    </message>
    <message>
        <source>something unexpected went wrong ({kind}); the details are in the log.</source>
        <translation>etwas Unerwartetes ist schiefgegangen ({kind}); die Einzelheiten stehen im Protokoll.</translation>
    </message>
</context>
<context>
    <name>PreviewLabel</name>
    <message>
        <source>Results appear here as they arrive</source>
        <translation>Ergebnisse erscheinen hier, sobald sie eintreffen</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>Vorher</translation>
    </message>
</context>
<context>
    <name>QuitWithResultsInMemory</name>
    <message>
        <source>Results Not Saved</source>
        <translation>Ergebnisse nicht gespeichert</translation>
    </message>
    <message numerus="yes">
        <source>%n result(s) could not be written to disk and are only in memory: quitting now loses them.</source>
        <translation>
            <numerusform>%n Ergebnis konnte nicht auf die Festplatte geschrieben werden und ist nur im Speicher: Beim Beenden geht es verloren.</numerusform>
            <numerusform>%n Ergebnisse konnten nicht auf die Festplatte geschrieben werden und sind nur im Speicher: Beim Beenden gehen sie verloren.</numerusform>
        </translation>
    </message>
    <message>
        <source>Save to Another Folder…</source>
        <translation>In einem anderen Ordner speichern…</translation>
    </message>
    <message>
        <source>Quit Without Saving</source>
        <translation>Beenden ohne zu speichern</translation>
    </message>
    <message>
        <source>Don&apos;t Quit</source>
        <translation>Nicht beenden</translation>
    </message>
</context>
<context>
    <name>RecentPromptsPopup</name>
    <message>
        <source>Filter recent prompts</source>
        <translation>Letzte Anweisungen filtern</translation>
    </message>
    <message>
        <source>No recent prompt matches.</source>
        <translation>Keine letzte Anweisung passt.</translation>
    </message>
</context>
<context>
    <name>RegionPlanner</name>
    <message>
        <source>The mask is all black, so it keeps the whole image and there is nothing to edit. Paint the area to change in white, or remove the mask to edit the whole image.</source>
        <translation>Die Maske ist ganz schwarz: Sie behält das ganze Bild, es gibt nichts zu bearbeiten. Malen Sie den zu ändernden Bereich weiß, oder entfernen Sie die Maske, um das ganze Bild zu bearbeiten.</translation>
    </message>
</context>
<context>
    <name>ResultsView</name>
    <message>
        <source>Results</source>
        <translation>Ergebnisse</translation>
    </message>
    <message>
        <source>Save to Another Folder…</source>
        <translation>In einem anderen Ordner speichern…</translation>
    </message>
    <message>
        <source>Save the results the output folder could not take into another folder</source>
        <translation>Die Ergebnisse, die der Ausgabeordner nicht aufnehmen konnte, in einem anderen Ordner speichern</translation>
    </message>
    <message>
        <source>Composited</source>
        <translation>Eingesetzt</translation>
    </message>
    <message>
        <source>Your photo with the edit placed in</source>
        <translation>Ihr Foto mit der eingesetzten Bearbeitung</translation>
    </message>
    <message>
        <source>Model output</source>
        <translation>Modellausgabe</translation>
    </message>
    <message>
        <source>The model&apos;s own picture, as it came</source>
        <translation>Das eigene Bild des Modells, wie es kam</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>Vorher</translation>
    </message>
    <message>
        <source>Show the edited image in place of the result (hold \)</source>
        <translation>Das bearbeitete Bild anstelle des Ergebnisses zeigen (\ halten)</translation>
    </message>
    <message numerus="yes">
        <source>Result %n</source>
        <translation>
            <numerusform>Ergebnis %n</numerusform>
            <numerusform>Ergebnis %n</numerusform>
        </translation>
    </message>
    <message>
        <source>Coming…</source>
        <translation>Kommt…</translation>
    </message>
    <message>
        <source>model output</source>
        <translation>Modellausgabe</translation>
    </message>
    <message>
        <source>composited</source>
        <translation>eingesetzt</translation>
    </message>
    <message>
        <source> (loading the other…)</source>
        <translation> (das andere wird geladen…)</translation>
    </message>
    <message>
        <source>only here, in memory</source>
        <translation>nur hier, im Arbeitsspeicher</translation>
    </message>
    <message>
        <source>in history</source>
        <translation>im Verlauf</translation>
    </message>
    <message>
        <source>{0} · not in the output folder ({1}): kept {2}</source>
        <translation>{0} · nicht im Ausgabeordner ({1}): aufbewahrt {2}</translation>
    </message>
    <message>
        <source>Revised prompt: %1</source>
        <translation>Überarbeitete Anweisung: %1</translation>
    </message>
    <message>
        <source>Save Results To</source>
        <translation>Ergebnisse speichern in</translation>
    </message>
    <message>
        <source>Not saved in &apos;{0}&apos;: {1}. The results are still kept here.</source>
        <translation>Nicht in „{0}“ gespeichert: {1}. Die Ergebnisse bleiben hier erhalten.</translation>
    </message>
    <message numerus="yes">
        <source>Saved %n result(s) to {0}.</source>
        <translation>
            <numerusform>%n Ergebnis in {0} gespeichert.</numerusform>
            <numerusform>%n Ergebnisse in {0} gespeichert.</numerusform>
        </translation>
    </message>
    <message>
        <source>Save Result As</source>
        <translation>Ergebnis speichern unter</translation>
    </message>
    <message>
        <source>Image (*%1)</source>
        <translation>Bild (*%1)</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>Nicht gespeichert</translation>
    </message>
    <message>
        <source>The result could not be saved: %1</source>
        <translation>Das Ergebnis konnte nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>Saved %1.</source>
        <translation>%1 gespeichert.</translation>
    </message>
    <message>
        <source>Result copied to the clipboard.</source>
        <translation>Ergebnis in die Zwischenablage kopiert.</translation>
    </message>
</context>
<context>
    <name>RunCard</name>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Stop this run (Esc)</source>
        <translation>Diesen Lauf anhalten (Esc)</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Wird gestartet…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
    <message numerus="yes">
        <source>Generating %n image(s)</source>
        <translation>
            <numerusform>%n Bild wird erzeugt</numerusform>
            <numerusform>%n Bilder werden erzeugt</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RunDelegate</name>
    <message numerus="yes">
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n Bild</numerusform>
            <numerusform>%n Bilder</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Runs</name>
    <message>
        <source>Preparing…</source>
        <translation>Wird vorbereitet…</translation>
    </message>
    <message>
        <source>Uploading the inputs…</source>
        <translation>Die Eingaben werden hochgeladen…</translation>
    </message>
    <message>
        <source>Waiting for the model…</source>
        <translation>Warten auf das Modell…</translation>
    </message>
    <message>
        <source>Downloading result %1 of %2…</source>
        <translation>Ergebnis %1 von %2 wird heruntergeladen…</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Wird gespeichert…</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>The mask is all black: nothing would change. Paint what should change, or clear the mask to edit the whole image.</source>
        <translation>Die Maske ist ganz schwarz: Nichts würde sich ändern. Malen Sie, was sich ändern soll, oder leeren Sie die Maske, um das ganze Bild zu bearbeiten.</translation>
    </message>
    <message>
        <source>A run is in progress.</source>
        <translation>Ein Durchlauf läuft.</translation>
    </message>
    <message>
        <source>Add an image to edit (drop it on the left, or Ctrl+O).</source>
        <translation>Fügen Sie ein Bild zum Bearbeiten hinzu (links ablegen oder Strg+O).</translation>
    </message>
    <message>
        <source>Loading images…</source>
        <translation>Bilder werden geladen…</translation>
    </message>
    <message>
        <source>Write a prompt: say what should change.</source>
        <translation>Schreiben Sie eine Anweisung: Sagen Sie, was sich ändern soll.</translation>
    </message>
    <message>
        <source>Set your API key in Settings (Ctrl+,), or try the offline demo.</source>
        <translation>Legen Sie Ihren API-Schlüssel in den Einstellungen fest (Strg+,) oder probieren Sie die Offline-Demo.</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
    <message>
        <source>Quit while running?</source>
        <translation>Während eines Laufs beenden?</translation>
    </message>
    <message>
        <source>An edit is still running. Quit and cancel it? Results that already arrived are saved; if the hub already received the edit, it may still be billed.</source>
        <translation>Eine Bearbeitung läuft noch. Beenden und sie abbrechen? Bereits eingetroffene Ergebnisse sind gespeichert; hatte der Hub die Bearbeitung schon erhalten, kann sie trotzdem berechnet werden.</translation>
    </message>
    <message>
        <source>Quit and Cancel</source>
        <translation>Beenden und abbrechen</translation>
    </message>
    <message>
        <source>Don&apos;t Quit</source>
        <translation>Nicht beenden</translation>
    </message>
    <message>
        <source>An edit is still running on the hub. Keep it running and Retouch collects its results the next time it starts (it is billed as usual), or cancel it so nothing more is billed. Results that already arrived are saved.</source>
        <translation>Auf dem Hub läuft noch eine Bearbeitung. Lassen Sie sie weiterlaufen, holt Retouch ihre Ergebnisse beim nächsten Start ab (sie wird wie üblich berechnet), oder brechen Sie sie ab, damit nichts mehr berechnet wird. Bereits eingetroffene Ergebnisse sind gespeichert.</translation>
    </message>
    <message>
        <source>Keep It Running</source>
        <translation>Weiterlaufen lassen</translation>
    </message>
    <message>
        <source>Cancel the Edit</source>
        <translation>Bearbeitung abbrechen</translation>
    </message>
    <message numerus="yes">
        <source>Collecting the results of %n edit(s) that were still running on the hub when Retouch stopped waiting…</source>
        <translation>
            <numerusform>Die Ergebnisse von %n Bearbeitung, die noch auf dem Hub lief, als Retouch aufhörte zu warten, werden abgeholt…</numerusform>
            <numerusform>Die Ergebnisse von %n Bearbeitungen, die noch auf dem Hub liefen, als Retouch aufhörte zu warten, werden abgeholt…</numerusform>
        </translation>
    </message>
    <message>
        <source>This edit is still on the hub&apos;s queue ({done} of {total} results collected). Collect the rest now; it is billed whether or not they are collected.</source>
        <translation>Diese Bearbeitung steht noch in der Warteschlange des Hubs ({done} von {total} Ergebnissen abgeholt). Holen Sie den Rest jetzt ab; berechnet wird sie so oder so.</translation>
    </message>
    <message>
        <source>There is nothing left to collect for that edit.</source>
        <translation>Für diese Bearbeitung ist nichts mehr abzuholen.</translation>
    </message>
    <message numerus="yes">
        <source>%n result(s) saved to %1.</source>
        <translation>
            <numerusform>%n Ergebnis in %1 gespeichert.</numerusform>
            <numerusform>%n Ergebnisse in %1 gespeichert.</numerusform>
        </translation>
    </message>
    <message>
        <source>It is not recorded in history (see the message at start).</source>
        <translation>Er ist nicht im Verlauf festgehalten (siehe die Meldung beim Start).</translation>
    </message>
    <message numerus="yes">
        <source>%n result(s) could not be saved in the output folder.</source>
        <translation>
            <numerusform>%n Ergebnis konnte nicht im Ausgabeordner gespeichert werden.</numerusform>
            <numerusform>%n Ergebnisse konnten nicht im Ausgabeordner gespeichert werden.</numerusform>
        </translation>
    </message>
    <message>
        <source>{saved} of {total} results saved.</source>
        <translation>{saved} von {total} Ergebnissen gespeichert.</translation>
    </message>
    <message>
        <source>Note: %1.</source>
        <translation>Hinweis: %1.</translation>
    </message>
    <message numerus="yes">
        <source>%n result(s) that arrived were kept.</source>
        <translation>
            <numerusform>%n eingetroffenes Ergebnis wurde behalten.</numerusform>
            <numerusform>%n eingetroffene Ergebnisse wurden behalten.</numerusform>
        </translation>
    </message>
    <message>
        <source>Run cancelled. If the hub had already received the edit, it may still be billed.</source>
        <translation>Lauf abgebrochen. Falls der Hub die Bearbeitung schon erhalten hatte, kann sie noch berechnet werden.</translation>
    </message>
    <message>
        <source>Something unexpected went wrong ({kind}). Details are in the log (Help → Open Log Folder).</source>
        <translation>Etwas Unerwartetes ist schiefgegangen ({kind}). Einzelheiten stehen im Protokoll (Hilfe → Protokollordner öffnen).</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <source>&apos;{name}&apos; is no longer there.</source>
        <translation>„{name}“ ist nicht mehr vorhanden.</translation>
    </message>
</context>
<context>
    <name>SessionController</name>
    <message>
        <source>Your history could not be opened: its database is damaged ({detail}). Retouch started without it, so new runs are not recorded. Start a fresh history: the old file is kept aside, nothing in it is deleted.</source>
        <translation>Ihr Verlauf konnte nicht geöffnet werden: Seine Datenbank ist beschädigt ({detail}). Retouch wurde ohne ihn gestartet, neue Durchläufe werden also nicht festgehalten. Beginnen Sie einen neuen Verlauf: Die alte Datei wird beiseitegelegt, nichts darin wird gelöscht.</translation>
    </message>
    <message>
        <source>Your history was made by a newer Retouch, so it is open read-only: you can browse and reopen runs, but new runs are not recorded in it. Update Retouch to keep using it.</source>
        <translation>Ihr Verlauf wurde von einem neueren Retouch angelegt und ist daher schreibgeschützt geöffnet: Sie können Durchläufe ansehen und wieder öffnen, neue werden darin aber nicht festgehalten. Aktualisieren Sie Retouch, um ihn weiter zu nutzen.</translation>
    </message>
    <message>
        <source>Your history could not be opened ({detail}). Retouch started without it, so new runs are not recorded.</source>
        <translation>Ihr Verlauf konnte nicht geöffnet werden ({detail}). Retouch wurde ohne ihn gestartet, neue Durchläufe werden also nicht festgehalten.</translation>
    </message>
    <message>
        <source>The preset &apos;{name}&apos; uses the model &apos;{model}&apos;, which is not available now; its prompt and matching parameters were used with {current}.</source>
        <translation>Die Vorlage „{name}“ verwendet das Modell „{model}“, das gerade nicht verfügbar ist; ihre Anweisung und passende Parameter wurden mit {current} verwendet.</translation>
    </message>
    <message>
        <source>A fresh history could not be started: {e}</source>
        <translation>Ein neuer Verlauf konnte nicht begonnen werden: {e}</translation>
    </message>
    <message>
        <source>A fresh history was started; new runs are recorded again. The old one was kept as {path}.</source>
        <translation>Ein neuer Verlauf wurde begonnen; neue Durchläufe werden wieder festgehalten. Der alte wurde als {path} aufbewahrt.</translation>
    </message>
    <message>
        <source>That run is no longer in the history.</source>
        <translation>Dieser Lauf ist nicht mehr im Verlauf.</translation>
    </message>
    <message>
        <source>The saved mask could not be restored ({e}).</source>
        <translation>Die gespeicherte Maske konnte nicht wiederhergestellt werden ({e}).</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Paste your Oxen API key</source>
        <translation>Fügen Sie Ihren Oxen-API-Schlüssel ein</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API-Schlüssel</translation>
    </message>
    <message>
        <source>Set by OXEN_API_KEY (overrides the keyring)</source>
        <translation>Durch OXEN_API_KEY gesetzt (hat Vorrang vor dem Schlüsselbund)</translation>
    </message>
    <message>
        <source>A key is saved in the keyring — type to replace it</source>
        <translation>Ein Schlüssel ist im Schlüsselbund gespeichert — zum Ersetzen eintippen</translation>
    </message>
    <message>
        <source>A key is kept for this session — type to replace it</source>
        <translation>Ein Schlüssel gilt für diese Sitzung — zum Ersetzen eintippen</translation>
    </message>
    <message>
        <source>A key is set</source>
        <translation>Ein Schlüssel ist gesetzt</translation>
    </message>
    <message>
        <source>Remove Key</source>
        <translation>Schlüssel entfernen</translation>
    </message>
    <message>
        <source>Hub address</source>
        <translation>Hub-Adresse</translation>
    </message>
    <message>
        <source>Test Connection</source>
        <translation>Verbindung testen</translation>
    </message>
    <message>
        <source>Embed them in the request (private: nothing is stored)</source>
        <translation>In die Anfrage einbetten (privat: nichts wird gespeichert)</translation>
    </message>
    <message>
        <source>Upload them to my Oxen repository</source>
        <translation>In mein Oxen-Repository hochladen</translation>
    </message>
    <message>
        <source>namespace/repository</source>
        <translation>namensraum/repository</translation>
    </message>
    <message>
        <source>Oxen repository</source>
        <translation>Oxen-Repository</translation>
    </message>
    <message>
        <source>⚠ The repository must be &lt;b&gt;public&lt;/b&gt;: the model server downloads the inputs without credentials, so anyone can see them.</source>
        <translation>⚠ Das Repository muss &lt;b&gt;öffentlich&lt;/b&gt; sein: Der Modellserver lädt die Eingaben ohne Anmeldung herunter, also kann jeder sie sehen.</translation>
    </message>
    <message>
        <source>Save results to</source>
        <translation>Ergebnisse speichern in</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Wählen…</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source>Save results in the data folder again</source>
        <translation>Ergebnisse wieder im Datenordner speichern</translation>
    </message>
    <message>
        <source>Remove GPS location from saved results</source>
        <translation>GPS-Position aus gespeicherten Ergebnissen entfernen</translation>
    </message>
    <message>
        <source>Results keep the original photo&apos;s colour profile and EXIF data; tick this to leave out where it was taken. Applies to retouch edit and batch too.</source>
        <translation>Ergebnisse behalten das Farbprofil und die EXIF-Daten des Originalfotos; ankreuzen, um den Aufnahmeort wegzulassen. Gilt auch für retouch edit und batch.</translation>
    </message>
    <message>
        <source>Ask whether to keep the mask for a new image</source>
        <translation>Bei einem neuen Bild fragen, ob die Maske bleibt</translation>
    </message>
    <message>
        <source>Longest wait</source>
        <translation>Längste Wartezeit</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>After this long Retouch stops waiting for an edit. The hub may still finish it and bill it; a queued edit stays on the hub and is collected later.</source>
        <translation>Nach dieser Zeit wartet Retouch nicht mehr auf eine Bearbeitung. Der Hub kann sie trotzdem fertigstellen und berechnen; eine Bearbeitung in der Warteschlange bleibt auf dem Hub und wird später abgeholt.</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>As the system</source>
        <translation>Wie das System</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>Erscheinungsbild</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>Inputs and results</source>
        <translation>Eingaben und Ergebnisse</translation>
    </message>
    <message>
        <source>Send inputs</source>
        <translation>Eingaben senden</translation>
    </message>
    <message>
        <source>Colours</source>
        <translation>Farben</translation>
    </message>
    <message>
        <source>You are trying the offline demo: a local stand-in answers instead of the hub. These settings apply the next time Retouch starts normally.</source>
        <translation>Sie probieren die Offline-Demo: Ein lokaler Ersatz antwortet statt des Hubs. Diese Einstellungen gelten beim nächsten normalen Start von Retouch.</translation>
    </message>
    <message>
        <source>Save Results To</source>
        <translation>Ergebnisse speichern in</translation>
    </message>
    <message>
        <source>Enter an API key first.</source>
        <translation>Geben Sie zuerst einen API-Schlüssel ein.</translation>
    </message>
    <message>
        <source>Testing %1 (set by RETOUCH_API_BASE)…</source>
        <translation>%1 wird getestet (durch RETOUCH_API_BASE gesetzt)…</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Wird getestet…</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <source>Demo — no AI, nothing is billed</source>
        <translation>Demo — keine KI, nichts wird berechnet</translation>
    </message>
    <message>
        <source>The model that performs the edit</source>
        <translation>Das Modell, das die Bearbeitung ausführt</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Describe the change, e.g. “replace the sky with a warm sunset”.
Ctrl+Enter runs.</source>
        <translation>Beschreiben Sie die Änderung, z. B. „ersetze den Himmel durch einen warmen Sonnenuntergang“.
Strg+Eingabe startet.</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Anweisung</translation>
    </message>
    <message>
        <source>Ctrl+Enter runs · Ctrl+Up lists recent prompts</source>
        <translation>Strg+Eingabe startet · Strg+Hoch zeigt die letzten Anweisungen</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Ausführen</translation>
    </message>
    <message>
        <source>Run the edit (Ctrl+Enter)</source>
        <translation>Die Bearbeitung ausführen (Strg+Eingabe)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Stop this run (Esc)</source>
        <translation>Diesen Lauf anhalten (Esc)</translation>
    </message>
    <message>
        <source>Run progress</source>
        <translation>Fortschritt des Laufs</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>Into the photo</source>
        <translation>Ins Foto einsetzen</translation>
    </message>
    <message>
        <source>Mask: only the painted area changes.</source>
        <translation>Maske: Nur der bemalte Bereich ändert sich.</translation>
    </message>
    <message>
        <source>No mask: the whole image may change.</source>
        <translation>Keine Maske: Das ganze Bild kann sich ändern.</translation>
    </message>
</context>
<context>
    <name>WelcomeDialog</name>
    <message>
        <source>Welcome to Retouch</source>
        <translation>Willkommen bei Retouch</translation>
    </message>
    <message>
        <source>Retouch edits images with GPT Image 2 on the Oxen.ai hub. Paint over what should change, describe it, and get up to four versions back.</source>
        <translation>Retouch bearbeitet Bilder mit GPT Image 2 auf dem Oxen.ai-Hub. Übermalen Sie, was sich ändern soll, beschreiben Sie es und erhalten Sie bis zu vier Fassungen zurück.</translation>
    </message>
    <message>
        <source>To edit for real, enter your Oxen API key.</source>
        <translation>Für echte Bearbeitungen geben Sie Ihren Oxen-API-Schlüssel ein.</translation>
    </message>
    <message>
        <source>Paste your Oxen API key</source>
        <translation>Fügen Sie Ihren Oxen-API-Schlüssel ein</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API-Schlüssel</translation>
    </message>
    <message>
        <source>Save Key and Start</source>
        <translation>Schlüssel speichern und starten</translation>
    </message>
    <message>
        <source>Try the Offline Demo</source>
        <translation>Offline-Demo ausprobieren</translation>
    </message>
    <message>
        <source>A local stand-in answers instead of the AI: every screen works, no key or network needed, nothing is billed</source>
        <translation>Ein lokaler Ersatz antwortet statt der KI: Alles funktioniert, ohne Schlüssel und Netzwerk, nichts wird berechnet</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>Später</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
</context>
<context>
    <name>ZoomBar</name>
    <message>
        <source>Image size and zoom</source>
        <translation>Bildgröße und Zoom</translation>
    </message>
    <message>
        <source>Zoom level</source>
        <translation>Zoomstufe</translation>
    </message>
    <message>
        <source>[ ] size · Shift+click: a line</source>
        <translation>[ ] Größe · Umschalt+Klick: eine Linie</translation>
    </message>
    <message>
        <source>[ ] size</source>
        <translation>[ ] Größe</translation>
    </message>
    <message>
        <source>Drag, or arrows and Enter</source>
        <translation>Ziehen, oder Pfeiltasten und Eingabe</translation>
    </message>
    <message>
        <source>Draw around · Alt erases</source>
        <translation>Umfahren · Alt radiert</translation>
    </message>
    <message>
        <source>%1 × %2 px</source>
        <translation>%1 × %2 px</translation>
    </message>
</context>
<context>
    <name>_RunList</name>
    <message>
        <source>No runs yet.
Your edits will appear here.</source>
        <translation>Noch keine Läufe.
Ihre Bearbeitungen erscheinen hier.</translation>
    </message>
</context>
<context>
    <name>_TrayDelegate</name>
    <message>
        <source>Editing</source>
        <translation>Wird bearbeitet</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Referenz</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <source>Link</source>
        <translation>Link</translation>
    </message>
</context>
<context>
    <name>_TrayList</name>
    <message>
        <source>Inputs</source>
        <translation>Eingaben</translation>
    </message>
    <message>
        <source>Drop images here
or press Ctrl+O

The first image is edited;
the others are references</source>
        <translation>Bilder hierher ziehen
oder Strg+O drücken

Das erste Bild wird bearbeitet,
die anderen sind Referenzen</translation>
    </message>
</context>
<context>
    <name>core</name>
    <message>
        <source>The hub did not finish {what} within {wait}, so Retouch stopped waiting. The edit may still finish and be billed; it was not resent automatically.</source>
        <translation>Der Hub ist {what} nicht innerhalb von {wait} fertig geworden, daher hat Retouch aufgehört zu warten. Die Bearbeitung kann trotzdem fertig und berechnet werden; sie wurde nicht automatisch erneut gesendet.</translation>
    </message>
    <message>
        <source>The hub did not answer {what} within {wait}.</source>
        <translation>Der Hub hat {what} nicht innerhalb von {wait} geantwortet.</translation>
    </message>
    <message>
        <source>The edit may still finish and be billed; it was not resent automatically.</source>
        <translation>Die Bearbeitung kann noch fertig werden und berechnet werden; sie wurde nicht automatisch erneut gesendet.</translation>
    </message>
    <message>
        <source>The hub did not answer {what} in time ({seconds} s).</source>
        <translation>Der Hub hat {what} nicht rechtzeitig geantwortet ({seconds} s).</translation>
    </message>
    <message>
        <source>The hub&apos;s security certificate could not be verified, so nothing was sent. Check the hub address in Settings, or your network (a captive portal or proxy may be intercepting the connection).</source>
        <translation>Das Sicherheitszertifikat des Hubs konnte nicht geprüft werden, daher wurde nichts gesendet. Prüfen Sie die Hub-Adresse in den Einstellungen oder Ihr Netzwerk (ein Anmeldeportal oder Proxy könnte die Verbindung abfangen).</translation>
    </message>
    <message>
        <source>Could not find the hub at &apos;{host}&apos;. Check the address in Settings and your internet connection.</source>
        <translation>Der Hub unter „{host}“ wurde nicht gefunden. Prüfen Sie die Adresse in den Einstellungen und Ihre Internetverbindung.</translation>
    </message>
    <message>
        <source>Could not connect to the hub at &apos;{host}&apos;. Check your internet connection and try again.</source>
        <translation>Keine Verbindung zum Hub unter „{host}“. Prüfen Sie Ihre Internetverbindung und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The edit may have been billed; it was not resent automatically.</source>
        <translation>Die Bearbeitung wurde möglicherweise berechnet; sie wurde nicht automatisch erneut gesendet.</translation>
    </message>
    <message>
        <source>The connection to the hub dropped {what}.</source>
        <translation>Die Verbindung zum Hub brach {what} ab.</translation>
    </message>
    <message>
        <source>Run it again when ready.</source>
        <translation>Führen Sie sie erneut aus, wenn Sie bereit sind.</translation>
    </message>
    <message>
        <source>while editing</source>
        <translation>während der Bearbeitung</translation>
    </message>
    <message>
        <source>the hub&apos;s reply was too large and was cut off; the {n} images that had fully arrived were kept</source>
        <translation>die Antwort des Hubs war zu groß und wurde abgeschnitten; die {n} vollständig eingetroffenen Bilder wurden behalten</translation>
    </message>
    <message>
        <source>the hub sent {got} images where {keep} were asked for; only the first {keep} were kept</source>
        <translation>der Hub schickte {got} Bilder, angefordert waren {keep}; nur die ersten {keep} wurden behalten</translation>
    </message>
    <message>
        <source>listing models</source>
        <translation>beim Auflisten der Modelle</translation>
    </message>
    <message>
        <source>reading the model</source>
        <translation>beim Lesen des Modells</translation>
    </message>
    <message>
        <source>queueing</source>
        <translation>beim Einreihen</translation>
    </message>
    <message>
        <source>checking the queue</source>
        <translation>beim Prüfen der Warteschlange</translation>
    </message>
    <message>
        <source>cancelling</source>
        <translation>beim Abbrechen</translation>
    </message>
    <message>
        <source>listing the queue</source>
        <translation>beim Auflisten der Warteschlange</translation>
    </message>
    <message>
        <source>creating the repository</source>
        <translation>beim Anlegen des Repositorys</translation>
    </message>
    <message>
        <source>uploading an input</source>
        <translation>beim Hochladen einer Eingabe</translation>
    </message>
    <message>
        <source>while downloading a result</source>
        <translation>beim Herunterladen eines Ergebnisses</translation>
    </message>
    <message>
        <source>standard price, up to {size}</source>
        <translation>Standardpreis, bis {size}</translation>
    </message>
    <message>
        <source>high-res price, {size} and up</source>
        <translation>Hochauflösungspreis, ab {size}</translation>
    </message>
    <message>
        <source>{tier} price</source>
        <translation>Preis {tier}</translation>
    </message>
    <message>
        <source>1 image, price unknown</source>
        <translation>1 Bild, Preis unbekannt</translation>
    </message>
    <message>
        <source>{count} images, price unknown</source>
        <translation>{count} Bilder, Preis unbekannt</translation>
    </message>
    <message>
        <source>The hub said: {detail}</source>
        <translation>Der Hub meldete: {detail}</translation>
    </message>
    <message>
        <source>The edit was not resent automatically: check your results or run it again.</source>
        <translation>Die Bearbeitung wurde nicht automatisch erneut gesendet: Prüfen Sie Ihre Ergebnisse oder führen Sie sie erneut aus.</translation>
    </message>
    <message>
        <source>Your Oxen account is out of credits. Add credits in your Oxen account, then run again.</source>
        <translation>Ihr Oxen-Konto hat kein Guthaben mehr. Laden Sie in Ihrem Oxen-Konto Guthaben auf und führen Sie dann erneut aus.</translation>
    </message>
    <message>
        <source>The hub did not accept your API key. Enter a valid key in Settings (you find it in your Oxen account settings).</source>
        <translation>Der Hub hat Ihren API-Schlüssel nicht angenommen. Geben Sie in den Einstellungen einen gültigen Schlüssel ein (Sie finden ihn in den Einstellungen Ihres Oxen-Kontos).</translation>
    </message>
    <message>
        <source>The hub is busy and asked us to slow down. Try again in {seconds} s.</source>
        <translation>Der Hub ist ausgelastet und bittet um etwas Geduld. Versuchen Sie es in {seconds} s erneut.</translation>
    </message>
    <message>
        <source>The hub is busy and asked us to slow down. Try again in a minute.</source>
        <translation>Der Hub ist ausgelastet und bittet um etwas Geduld. Versuchen Sie es in einer Minute erneut.</translation>
    </message>
    <message>
        <source>The model server could not download an input image or the mask. If you upload to an Oxen repository it must be public; or switch the upload method to &apos;Embed in request&apos; in Settings.</source>
        <translation>Der Modellserver konnte ein Eingabebild oder die Maske nicht herunterladen. Wenn Sie in ein Oxen-Repository hochladen, muss es öffentlich sein; oder stellen Sie in den Einstellungen die Übertragung auf „In die Anfrage einbetten“ um.</translation>
    </message>
    <message>
        <source>The hub does not know this model.</source>
        <translation>Der Hub kennt dieses Modell nicht.</translation>
    </message>
    <message>
        <source>Pick another model.</source>
        <translation>Wählen Sie ein anderes Modell.</translation>
    </message>
    <message>
        <source>The hub refused the request parameters.</source>
        <translation>Der Hub hat die Parameter der Anfrage abgelehnt.</translation>
    </message>
    <message>
        <source>No reason was given.</source>
        <translation>Es wurde kein Grund genannt.</translation>
    </message>
    <message>
        <source>The hub refused access (403).</source>
        <translation>Der Hub hat den Zugriff verweigert (403).</translation>
    </message>
    <message>
        <source>Check that your key may use this model and namespace.</source>
        <translation>Prüfen Sie, ob Ihr Schlüssel dieses Modell und diesen Namensraum verwenden darf.</translation>
    </message>
    <message>
        <source>The hub could not find what was asked for (404).</source>
        <translation>Der Hub hat das Angefragte nicht gefunden (404).</translation>
    </message>
    <message>
        <source>The hub reported a conflict (409).</source>
        <translation>Der Hub meldete einen Konflikt (409).</translation>
    </message>
    <message>
        <source>The request is too large for the hub. Use fewer or smaller input images, or upload inputs to an Oxen repository instead of embedding them.</source>
        <translation>Die Anfrage ist für den Hub zu groß. Verwenden Sie weniger oder kleinere Eingabebilder oder laden Sie die Eingaben in ein Oxen-Repository hoch, statt sie einzubetten.</translation>
    </message>
    <message>
        <source>The hub had a problem on its side ({status}).</source>
        <translation>Der Hub hatte ein Problem auf seiner Seite ({status}).</translation>
    </message>
    <message>
        <source>The hub answered with an error ({status}).</source>
        <translation>Der Hub antwortete mit einem Fehler ({status}).</translation>
    </message>
    <message>
        <source>asked for {asked} images, the hub returned {got}</source>
        <translation>{asked} Bilder angefordert, der Hub lieferte {got}</translation>
    </message>
    <message>
        <source>the hub queued {got} generations where {asked} were asked for; only the first {asked} are collected</source>
        <translation>der Hub reihte {got} Erzeugungen ein, angefordert waren {asked}; nur die ersten {asked} werden abgeholt</translation>
    </message>
    <message>
        <source>The queued edit did not finish within {wait}, so Retouch stopped waiting. It may still be billed; it is left on the hub and collected at the next start.</source>
        <translation>Die Bearbeitung in der Warteschlange wurde nicht innerhalb von {wait} fertig, daher hat Retouch aufgehört zu warten. Sie kann trotzdem berechnet werden; sie bleibt auf dem Hub und wird beim nächsten Start abgeholt.</translation>
    </message>
    <message>
        <source>result {n}: {note}</source>
        <translation>Ergebnis {n}: {note}</translation>
    </message>
    <message>
        <source>It is kept in Retouch&apos;s history: {path}</source>
        <translation>Es wird im Verlauf von Retouch aufbewahrt: {path}</translation>
    </message>
    <message>
        <source>It could not be kept in Retouch&apos;s history either{why}; it is only in memory: save it to another folder now</source>
        <translation>Es konnte auch nicht im Verlauf von Retouch aufbewahrt werden{why}; es ist nur im Arbeitsspeicher: Speichern Sie es jetzt in einem anderen Ordner</translation>
    </message>
    <message>
        <source>animated ({frames} frames): the first frame is used</source>
        <translation>animiert ({frames} Bilder): das erste Bild wird verwendet</translation>
    </message>
    <message>
        <source>rotated upright from its EXIF orientation</source>
        <translation>anhand seiner EXIF-Ausrichtung aufgerichtet</translation>
    </message>
    <message>
        <source>converted from {mode} to 8-bit RGB</source>
        <translation>von {mode} in 8-Bit-RGB umgewandelt</translation>
    </message>
    <message>
        <source>resampled to the original size (not AI upscaling)</source>
        <translation>auf die Originalgröße umgerechnet (keine KI-Hochskalierung)</translation>
    </message>
    <message>
        <source>the feather was reduced to {px} px to fit the region</source>
        <translation>die weiche Kante wurde auf {px} px verkleinert, um in den Bereich zu passen</translation>
    </message>
    <message>
        <source>colour not matched: too little of the surroundings to measure</source>
        <translation>Farbe nicht angeglichen: zu wenig Umgebung zum Messen</translation>
    </message>
    <message>
        <source>converted from CMYK with its colour profile; saved as sRGB</source>
        <translation>mit seinem Farbprofil aus CMYK umgewandelt; als sRGB gespeichert</translation>
    </message>
    <message>
        <source>its {space} colour profile does not describe RGB pixels and was left off</source>
        <translation>sein {space}-Farbprofil beschreibt keine RGB-Pixel und wurde weggelassen</translation>
    </message>
    <message>
        <source>unreadable</source>
        <translation>unlesbares</translation>
    </message>
    <message>
        <source>its EXIF data is damaged and was left off</source>
        <translation>seine EXIF-Daten sind beschädigt und wurden weggelassen</translation>
    </message>
    <message>
        <source>the EXIF data is too large for a JPEG and was left off</source>
        <translation>die EXIF-Daten sind für ein JPEG zu groß und wurden weggelassen</translation>
    </message>
    <message>
        <source>the original&apos;s EXIF data could not be written and was left off</source>
        <translation>die EXIF-Daten des Originals konnten nicht geschrieben werden und wurden weggelassen</translation>
    </message>
    <message>
        <source>JPEG has no transparency: transparent areas were filled with white</source>
        <translation>JPEG kennt keine Transparenz: transparente Bereiche wurden weiß gefüllt</translation>
    </message>
    <message>
        <source>the model&apos;s picture could not be read; it is kept as it came</source>
        <translation>das Bild des Modells konnte nicht gelesen werden; es bleibt, wie es kam</translation>
    </message>
    <message>
        <source>This edit&apos;s results are already being collected (by another Retouch window or command).</source>
        <translation>Die Ergebnisse dieser Bearbeitung werden bereits abgeholt (von einem anderen Retouch-Fenster oder -Befehl).</translation>
    </message>
    <message>
        <source>The output folder &apos;{folder}&apos; cannot be used: {reason}. Choose another one; nothing was sent.</source>
        <translation>Der Ausgabeordner „{folder}“ kann nicht verwendet werden: {reason}. Wählen Sie einen anderen; es wurde nichts gesendet.</translation>
    </message>
    <message>
        <source>The output folder &apos;{folder}&apos; cannot be used: nothing can be written in it ({reason}). Choose another one; nothing was sent.</source>
        <translation>Der Ausgabeordner „{folder}“ kann nicht verwendet werden: Es lässt sich nichts hineinschreiben ({reason}). Wählen Sie einen anderen; es wurde nichts gesendet.</translation>
    </message>
</context>
</TS>
