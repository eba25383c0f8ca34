/** Every CLI command, in the order `ganvas help` lists them. */
import type { CliCommand } from '../command';
import { arithCommand } from './arith';
import { demoCommand } from './demo';
import { directionsCommand } from './directions';
import { evalFeaturesCommand } from './eval-features';
import { evalMemorisationCommand } from './eval-memorisation';
import { evalQualityCommand } from './eval-quality';
import { exciteCommand } from './excite';
import { featuresCommand } from './features';
import { filtersCommand } from './filters';
import { forgetCommand } from './forget';
import { guidedCommand } from './guided';
import { healthCommand } from './health';
import { infoCommand } from './info';
import { invertCommand } from './invert';
import { newCommand } from './new';
import { sampleCommand } from './sample';
import { serveCommand } from './serve';
import { timelapseCommand } from './timelapse';
import { trainCommand } from './train';
import { walkCommand } from './walk';

export const commands: CliCommand[] = [
  newCommand,
  trainCommand,
  sampleCommand,
  infoCommand,
  demoCommand,
  walkCommand,
  arithCommand,
  filtersCommand,
  featuresCommand,
  guidedCommand,
  forgetCommand,
  evalFeaturesCommand,
  evalQualityCommand,
  evalMemorisationCommand,
  serveCommand,
  healthCommand,
  invertCommand,
  directionsCommand,
  exciteCommand,
  timelapseCommand,
];
