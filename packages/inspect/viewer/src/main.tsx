/**
 * The viewer page's entry: renders the app into `#app` with a fresh model. The
 * build inlines `ui/styles.css` beside it.
 *
 * @module
 */
import { render } from 'preact';
import { RecordingModel } from './model/recording-model.ts';
import { App } from './ui/App.tsx';

const root = document.getElementById('app');
if (root !== null) render(<App model={new RecordingModel()} />, root);
